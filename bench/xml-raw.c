/*
 * xml-raw UNITS.tsv OUT.tmx
 *
 * The export baseline: read the units that `tm-fill dump` wrote and write
 * them as TMX with nothing but libxml2's xmlTextWriter (indented like
 * selaras' export, the same header, tu attributes, props and tuvs), with no
 * database, validation, normalisation or temporary file.  Prints the number
 * of units written.
 */
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_ID, F_SRCLANG, F_TGTLANG, F_SOURCE, F_TARGET, F_BEAD, F_DOC, F_DATE, F_SCORE, F_OCC, N_F };

/* Split a dump line into fields in place, undoing the escapes. */
static int split(char *line, char *field[N_F])
{
    int n = 0;
    char *w = line;
    field[n++] = w;
    for (char *r = line; *r; r++) {
        if (*r == '\t') {
            *w++ = '\0';
            if (n == N_F)
                return -1;
            field[n++] = w;
        } else if (*r == '\\' && r[1]) {
            r++;
            *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return n == N_F ? 0 : -1;
}

static int prop(xmlTextWriterPtr w, const char *type, const char *value)
{
    return xmlTextWriterStartElement(w, BAD_CAST "prop") < 0 ||
                   xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST type) < 0 ||
                   xmlTextWriterWriteString(w, BAD_CAST value) < 0 ||
                   xmlTextWriterEndElement(w) < 0
               ? -1
               : 0;
}

static int tuv(xmlTextWriterPtr w, const char *lang, const char *text)
{
    return xmlTextWriterStartElement(w, BAD_CAST "tuv") < 0 ||
                   xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST lang) < 0 ||
                   xmlTextWriterWriteElement(w, BAD_CAST "seg", BAD_CAST text) < 0 ||
                   xmlTextWriterEndElement(w) < 0
               ? -1
               : 0;
}

static int write_unit(xmlTextWriterPtr w, char *f[N_F])
{
    if (xmlTextWriterStartElement(w, BAD_CAST "tu") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "tuid", BAD_CAST f[F_ID]) < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST f[F_SRCLANG]) < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST f[F_DATE]) < 0)
        return -1;
    if (prop(w, "x-document", f[F_DOC]) != 0 || prop(w, "x-score", f[F_SCORE]) != 0 ||
        prop(w, "x-bead", f[F_BEAD]) != 0 || prop(w, "x-occurrences", f[F_OCC]) != 0)
        return -1;
    if (tuv(w, f[F_SRCLANG], f[F_SOURCE]) != 0 || tuv(w, f[F_TGTLANG], f[F_TARGET]) != 0)
        return -1;
    return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int write_all(FILE *in, xmlTextWriterPtr w, size_t *units)
{
    if (xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "tmx") < 0 ||
        xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.4") < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "header") < 0)
        return -1;
    static const char *const header[][2] = {
        {"creationtool", "xml-raw"}, {"creationtoolversion", "1"}, {"segtype", "sentence"},
        {"o-tmf", "xml-raw"},        {"adminlang", "en"},          {"srclang", "id"},
        {"datatype", "plaintext"},   {"creationdate", "20260101T000000Z"},
    };
    for (size_t i = 0; i < sizeof header / sizeof *header; i++)
        if (xmlTextWriterWriteAttribute(w, BAD_CAST header[i][0], BAD_CAST header[i][1]) < 0)
            return -1;
    if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterStartElement(w, BAD_CAST "body") < 0)
        return -1;

    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = getline(&line, &cap, in)) > 0) {
        if (line[got - 1] == '\n')
            line[got - 1] = '\0';
        char *f[N_F];
        if (split(line, f) != 0) {
            fprintf(stderr, "xml-raw: malformed line after %zu units\n", *units);
            rc = -1;
        } else if (write_unit(w, f) != 0) {
            rc = -1;
        } else {
            (*units)++;
        }
    }
    free(line);
    if (rc == 0 && (ferror(in) || xmlTextWriterEndDocument(w) < 0 || xmlTextWriterFlush(w) < 0))
        rc = -1;
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: xml-raw UNITS.tsv OUT.tmx\n", stderr);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    xmlTextWriterPtr w = xmlNewTextWriterFilename(argv[2], 0);
    if (!w) {
        fprintf(stderr, "xml-raw: %s: cannot write\n", argv[2]);
        fclose(in);
        return 1;
    }
    size_t units = 0;
    int rc = write_all(in, w, &units);
    xmlFreeTextWriter(w);
    fclose(in);
    xmlCleanupParser();
    if (rc != 0) {
        fprintf(stderr, "xml-raw: %s: write failed\n", argv[2]);
        return 1;
    }
    printf("%zu\n", units);
    return 0;
}
