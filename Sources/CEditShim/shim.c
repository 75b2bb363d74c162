// See include/ceditshim.h.
#include "ceditshim.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct shim_state {
    History *history;
    char *prompt;
};

// One editor per process (the shell has one terminal), so the prompt callback, which libedit
// calls without context, can find its text here.
static struct shim_state state;
static volatile int interrupted;

static char *prompt_fn(EditLine *el) {
    (void)el;
    return state.prompt ? state.prompt : "";
}

// Ctrl-C: end the line the way Enter would (so libedit leaves the cursor on a fresh line and the
// terminal as it found it), marked so the caller discards it. "^C" is shown at the end of the
// text, as shells do.
static unsigned char interrupt_fn(EditLine *el, int ch) {
    (void)ch;
    interrupted = 1;
    el_cursor(el, 1 << 20);  // to the end (clamped)
    el_insertstr(el, "^C");
    el_push(el, "\r");
    return CC_REFRESH;
}

EditLine *aegish_el_open(const char *program, int history_size) {
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (!el) return NULL;
    state.history = history_init();
    if (state.history) {
        HistEvent ev;
        history(state.history, &ev, H_SETSIZE, history_size > 0 ? history_size : 1000);
        history(state.history, &ev, H_SETUNIQUE, 1);
        el_set(el, EL_HIST, history, state.history);
    }
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 0);
    el_set(el, EL_PROMPT_ESC, prompt_fn, '\1');
    // Ctrl-C, Ctrl-Z and Ctrl-\ are keys while editing: the shell is the foreground process group
    // then, and a signal would hit it instead of cancelling the line.
    el_set(el, EL_SETTY, "-d", "-isig", NULL);
    el_set(el, EL_ADDFN, "aegish-interrupt", "Cancel the line", interrupt_fn);
    el_set(el, EL_BIND, "^C", "aegish-interrupt", NULL);
    el_set(el, EL_BIND, "^Z", "ed-unassigned", NULL);
    el_set(el, EL_BIND, "^\\", "ed-unassigned", NULL);
    return el;
}

void aegish_el_close(EditLine *el) {
    if (el) el_end(el);
    if (state.history) history_end(state.history);
    state.history = NULL;
    free(state.prompt);
    state.prompt = NULL;
}

void aegish_el_set_prompt(EditLine *el, const char *prompt) {
    (void)el;
    char *copy = strdup(prompt ? prompt : "");
    if (!copy) return;
    free(state.prompt);
    state.prompt = copy;
}

int aegish_el_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

void aegish_el_set_completer(EditLine *el, unsigned char (*complete)(EditLine *, int)) {
    el_set(el, EL_ADDFN, "aegish-complete", "Complete allowed commands and readable paths", complete);
    el_set(el, EL_BIND, "^I", "aegish-complete", NULL);
}

void aegish_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }

void *aegish_el_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int aegish_el_columns(EditLine *el) {
    int n = 0;
    if (el_get(el, EL_GETTC, "co", &n) != 0 || n <= 0) return 80;
    return n;
}

void aegish_el_history_add(EditLine *el, const char *line) {
    (void)el;
    if (!state.history || !line || !*line) return;
    HistEvent ev;
    history(state.history, &ev, H_ENTER, line);
}

int aegish_el_utf8_locale(void) {
    setlocale(LC_CTYPE, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs && strcmp(cs, "UTF-8") == 0) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) return 0;
    cs = nl_langinfo(CODESET);
    return cs && strcmp(cs, "UTF-8") == 0;
}
