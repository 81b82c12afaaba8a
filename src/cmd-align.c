#include <selaras/selaras.h>
