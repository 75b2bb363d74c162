// What Swift cannot call in libedit directly: the variadic el_set/el_get/history, the C globals
// stdin/stdout/stderr el_init needs, and the Ctrl-C key binding, which must run inside libedit.
//
// Used only by the Interactive target; nothing here is touched on the `aegish -c` path.
#ifndef AEGISH_CEDITSHIM_H
#define AEGISH_CEDITSHIM_H

#include <histedit.h>

/// A line editor on the terminal (stdin/stdout/stderr) in emacs mode, with an in-memory history
/// of `history_size` entries (consecutive duplicates dropped). Ctrl-C is a key, not a signal,
/// while a line is edited (`setty -d -isig`): it ends the line and aegish_el_take_interrupt()
/// then returns 1. No rc file (~/.editrc) is read. NULL if libedit cannot start.
EditLine *aegish_el_open(const char *program, int history_size);
void aegish_el_close(EditLine *el);

/// The prompt shown by the next el_gets (copied). Characters between two \001 are sent to the
/// terminal but take no room (colour escapes: PS1's \[ \]).
void aegish_el_set_prompt(EditLine *el, const char *prompt);

/// 1 if the last line ended with Ctrl-C (and clears the flag), else 0.
int aegish_el_take_interrupt(void);

/// Binds Tab to `complete` (called with the client data set below). It returns a libedit CC_*
/// code: CC_REFRESH after inserting, CC_REDISPLAY after listing, CC_REFRESH_BEEP for nothing.
void aegish_el_set_completer(EditLine *el, unsigned char (*complete)(EditLine *, int));
void aegish_el_set_clientdata(EditLine *el, void *data);
void *aegish_el_clientdata(EditLine *el);

/// The terminal's width in columns as libedit knows it (80 if unknown).
int aegish_el_columns(EditLine *el);

/// Appends an entry to the in-memory history (recalled with Up).
void aegish_el_history_add(EditLine *el, const char *line);

/// setlocale(LC_CTYPE, "") so that libedit handles UTF-8 input; falls back to C.UTF-8 when the
/// environment names no UTF-8 locale. Returns 1 if the character type is UTF-8.
int aegish_el_utf8_locale(void);

#endif
