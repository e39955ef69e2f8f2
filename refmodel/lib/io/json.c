#include "io/json.h"

#include <string.h>

void wc_json_init(wc_json *j, const void *text, size_t len)
{
    memset(j, 0, sizeof *j);
    j->text = text;
    j->len = len;
}

void wc_json_free(wc_json *j) { wc_buf_free(&j->str); }

static wc_status syntax_error(const wc_json *j, wc_error *err, const char *expected)
{
    if (j->pos >= j->len)
        return wc_fail(err, WC_ERR_FORMAT, "JSON ends at byte %zu, expected %s", j->pos, expected);
    return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: expected %s", j->pos, expected);
}

static void skip_space(wc_json *j)
{
    while (j->pos < j->len) {
        uint8_t c = j->text[j->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        j->pos++;
    }
}

/* Next non-space byte, or -1 at the end; not consumed. */
static int peek(wc_json *j)
{
    skip_space(j);
    return j->pos < j->len ? j->text[j->pos] : -1;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

wc_status wc_json_open(wc_json *j, char open, int *nonempty, wc_error *err)
{
    const char *expected = open == '{' ? "an object" : "an array";
    if (peek(j) != open)
        return syntax_error(j, err, expected);
    if (j->depth >= WC_JSON_MAX_DEPTH)
        return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: nesting deeper than %d", j->pos,
                       WC_JSON_MAX_DEPTH);
    j->pos++;
    j->depth++;
    char close = open == '{' ? '}' : ']';
    *nonempty = peek(j) != close;
    if (!*nonempty) {
        j->pos++;
        j->depth--;
    }
    return WC_OK;
}

wc_status wc_json_next(wc_json *j, char close, int *more, wc_error *err)
{
    int c = peek(j);
    if (c == ',') {
        j->pos++;
        *more = 1;
        return WC_OK;
    }
    if (c == close) {
        j->pos++;
        j->depth--;
        *more = 0;
        return WC_OK;
    }
    return syntax_error(j, err, close == '}' ? "',' or '}'" : "',' or ']'");
}

/* ---- strings ---- */

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape (the "\u" already consumed). */
static wc_status read_hex4(wc_json *j, uint32_t *unit, wc_error *err)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = j->pos < j->len ? hex_value(j->text[j->pos]) : -1;
        if (h < 0)
            return syntax_error(j, err, "4 hex digits after \\u");
        v = v << 4 | (uint32_t)h;
        j->pos++;
    }
    *unit = v;
    return WC_OK;
}

static void put_utf8(wc_buf *b, uint32_t cp)
{
    uint8_t out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (uint8_t)(0xF0 | cp >> 18);
        out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    wc_buf_put(b, out, n);
}

/* A \uXXXX escape, or a surrogate pair of two, into j->str. */
static wc_status read_unicode_escape(wc_json *j, wc_error *err)
{
    uint32_t hi, lo;
    wc_status st = read_hex4(j, &hi, err);
    if (st != WC_OK)
        return st;
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: unpaired low surrogate", j->pos);
    if (hi < 0xD800 || hi > 0xDBFF) {
        put_utf8(&j->str, hi);
        return WC_OK;
    }
    if (j->pos + 2 > j->len || j->text[j->pos] != '\\' || j->text[j->pos + 1] != 'u')
        return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: unpaired high surrogate", j->pos);
    j->pos += 2;
    st = read_hex4(j, &lo, err);
    if (st != WC_OK)
        return st;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: unpaired high surrogate", j->pos);
    put_utf8(&j->str, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
    return WC_OK;
}

static wc_status read_escape(wc_json *j, wc_error *err)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    if (j->pos >= j->len)
        return syntax_error(j, err, "an escape");
    uint8_t c = j->text[j->pos++];
    if (c == 'u')
        return read_unicode_escape(j, err);
    const char *hit = c ? strchr(from, c) : NULL;
    if (!hit) {
        j->pos--;
        return syntax_error(j, err, "a valid escape");
    }
    wc_buf_put_u8(&j->str, (uint8_t)to[hit - from]);
    return WC_OK;
}

/* Length of the valid UTF-8 sequence starting at a byte >= 0x80, or 0 if it
 * is invalid (overlong forms, surrogates and code points above U+10FFFF are). */
static size_t utf8_sequence(const uint8_t *p, size_t left)
{
    uint8_t c = p[0];
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static wc_status read_string_body(wc_json *j, wc_error *err)
{
    while (j->pos < j->len) {
        uint8_t c = j->text[j->pos];
        if (c == '"') {
            j->pos++;
            return WC_OK;
        }
        if (c == '\\') {
            j->pos++;
            wc_status st = read_escape(j, err);
            if (st != WC_OK)
                return st;
            continue;
        }
        if (c < 0x20)
            return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: control character in a string",
                           j->pos);
        size_t n = c < 0x80 ? 1 : utf8_sequence(j->text + j->pos, j->len - j->pos);
        if (n == 0)
            return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: invalid UTF-8 in a string", j->pos);
        wc_buf_put(&j->str, j->text + j->pos, n);
        j->pos += n;
    }
    return syntax_error(j, err, "the end of a string");
}

wc_status wc_json_string(wc_json *j, const char **s, size_t *len, wc_error *err)
{
    if (peek(j) != '"')
        return syntax_error(j, err, "a string");
    j->pos++;
    j->str.len = 0;
    wc_status st = read_string_body(j, err);
    if (st != WC_OK)
        return st;
    wc_buf_put_u8(&j->str, 0);
    st = wc_buf_status(&j->str, err);
    if (st != WC_OK)
        return st;
    *s = (const char *)j->str.data;
    *len = j->str.len - 1;
    return WC_OK;
}

wc_status wc_json_key(wc_json *j, const char **s, size_t *len, wc_error *err)
{
    wc_status st = wc_json_string(j, s, len, err);
    if (st != WC_OK)
        return st;
    if (peek(j) != ':')
        return syntax_error(j, err, "':'");
    j->pos++;
    return WC_OK;
}

/* ---- numbers and literals ---- */

wc_status wc_json_uint(wc_json *j, uint64_t *v, wc_error *err)
{
    if (!is_digit(peek(j)))
        return syntax_error(j, err, "a non-negative integer");
    size_t start = j->pos;
    uint64_t n = 0;
    while (j->pos < j->len && is_digit(j->text[j->pos])) {
        unsigned d = (unsigned)(j->text[j->pos] - '0');
        if (n > (UINT64_MAX - d) / 10)
            return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: integer exceeds 64 bits", start);
        n = n * 10 + d;
        j->pos++;
    }
    if (j->pos - start > 1 && j->text[start] == '0')
        return wc_fail(err, WC_ERR_FORMAT, "JSON byte %zu: integer with a leading zero", start);
    if (j->pos < j->len && (j->text[j->pos] == '.' || j->text[j->pos] == 'e' ||
                            j->text[j->pos] == 'E'))
        return syntax_error(j, err, "an integer without fraction or exponent");
    *v = n;
    return WC_OK;
}

static size_t skip_digits(wc_json *j)
{
    size_t start = j->pos;
    while (j->pos < j->len && is_digit(j->text[j->pos]))
        j->pos++;
    return j->pos - start;
}

static int next_is(const wc_json *j, char c) { return j->pos < j->len && j->text[j->pos] == c; }

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static wc_status skip_number(wc_json *j, wc_error *err)
{
    if (next_is(j, '-'))
        j->pos++;
    if (next_is(j, '0'))
        j->pos++;
    else if (skip_digits(j) == 0)
        return syntax_error(j, err, "a digit");
    if (next_is(j, '.')) {
        j->pos++;
        if (skip_digits(j) == 0)
            return syntax_error(j, err, "a digit after '.'");
    }
    if (next_is(j, 'e') || next_is(j, 'E')) {
        j->pos++;
        if (next_is(j, '+') || next_is(j, '-'))
            j->pos++;
        if (skip_digits(j) == 0)
            return syntax_error(j, err, "an exponent");
    }
    return WC_OK;
}

static wc_status skip_literal(wc_json *j, const char *word, wc_error *err)
{
    size_t n = strlen(word);
    if (j->len - j->pos < n || memcmp(j->text + j->pos, word, n) != 0)
        return syntax_error(j, err, "a value");
    j->pos += n;
    return WC_OK;
}

static wc_status skip_container(wc_json *j, char open, wc_error *err)
{
    char close = open == '{' ? '}' : ']';
    int more;
    wc_status st = wc_json_open(j, open, &more, err);
    while (st == WC_OK && more) {
        if (open == '{') {
            const char *key;
            size_t len;
            st = wc_json_key(j, &key, &len, err);
            if (st != WC_OK)
                return st;
        }
        st = wc_json_skip(j, err);
        if (st == WC_OK)
            st = wc_json_next(j, close, &more, err);
    }
    return st;
}

wc_status wc_json_skip(wc_json *j, wc_error *err)
{
    const char *s;
    size_t len;
    int c = peek(j);
    switch (c) {
    case '{':
    case '[':
        return skip_container(j, (char)c, err);
    case '"':
        return wc_json_string(j, &s, &len, err);
    case 't':
        return skip_literal(j, "true", err);
    case 'f':
        return skip_literal(j, "false", err);
    case 'n':
        return skip_literal(j, "null", err);
    }
    if (c == '-' || is_digit(c))
        return skip_number(j, err);
    return syntax_error(j, err, "a value");
}

wc_status wc_json_end(wc_json *j, wc_error *err)
{
    if (peek(j) != -1)
        return syntax_error(j, err, "the end of the JSON text");
    return WC_OK;
}

/* ---- writing ---- */

wc_status wc_json_write_string(wc_buf *out, const char *s, const char *what, wc_error *err)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *p = (const uint8_t *)s;
    size_t left = strlen(s);
    wc_buf_put_u8(out, '"');
    while (left) {
        uint8_t c = *p;
        size_t n = 1;
        if (c == '"' || c == '\\') {
            wc_buf_put_u8(out, '\\');
            wc_buf_put_u8(out, c);
        } else if (c < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            wc_buf_put(out, esc, sizeof esc);
        } else {
            n = c < 0x80 ? 1 : utf8_sequence(p, left);
            if (n == 0)
                return wc_fail(err, WC_ERR_ARG, "%s: invalid UTF-8 at byte %zu", what,
                               (size_t)(p - (const uint8_t *)s));
            wc_buf_put(out, p, n);
        }
        p += n;
        left -= n;
    }
    wc_buf_put_u8(out, '"');
    return WC_OK;
}
