#ifndef SELARAS_ALIGN_JSONL_H
#define SELARAS_ALIGN_JSONL_H

/*
 * `selaras align --jsonl`: document pairs as JSON lines from path (NULL or
 * "-": standard input), aligned pairs as JSON lines on standard output (see
 * README, "selaras align --jsonl").  Languages are the canonical defaults
 * for lines without "src_lang"/"tgt_lang".  Returns the exit status.
 */
int align_jsonl(const char *path, const char *src_lang, const char *tgt_lang);

#endif
