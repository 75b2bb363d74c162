// The libedit API as Swift sees it (the non-variadic part; see CEditShim for the rest).
#include <histedit.h>
