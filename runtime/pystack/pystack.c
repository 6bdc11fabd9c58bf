/*===- pystack.c - Walk CPython 3.11 thread states and frames from memory -===*
 *
 * Everything is read through r->read, so a freed or half-written structure
 * costs a failed read, never a fault (the preload's sampler and the attach
 * mode read with process_vm_readv). Reads are bounded: a cycle or a garbage
 * pointer ends the walk.
 *===----------------------------------------------------------------------===*/
#include "tw_pystack.h"
#include <string.h>

enum { TW_PY_MAX_THREADS_WALK = 4096, TW_PY_LINETABLE_MAX = 1 << 20, TW_PY_HDR_MAX = 512 };

static int rd_u64(const struct tw_py_reader *r, uint64_t addr, uint64_t *out) {
  return addr ? r->read(r->ctx, addr, out, sizeof *out) : -1;
}

int tw_py_threads(const struct tw_py_reader *r, struct tw_py_thread *out, int max) {
  const struct tw_py_offsets *o = r->off;
  uint64_t interp = 0;
  int n = 0, steps = 0;
  if (rd_u64(r, r->runtime + o->rt_interp_head, &interp))
    return 0;
  for (; interp && steps < TW_PY_MAX_THREADS_WALK; ++steps) {
    uint64_t ts = 0;
    if (rd_u64(r, interp + o->is_threads_head, &ts))
      break;
    for (; ts && n < max && steps < TW_PY_MAX_THREADS_WALK; ++steps) {
      uint64_t tid = 0, cframe = 0, frame = 0;
      if (rd_u64(r, ts + o->ts_native_tid, &tid))
        break;
      if (!rd_u64(r, ts + o->ts_cframe, &cframe))
        rd_u64(r, cframe + o->cf_current_frame, &frame);
      out[n].tstate = ts;
      out[n].frame = frame;
      out[n].tid = (int64_t)tid;
      ++n;
      if (rd_u64(r, ts + o->ts_next, &ts))
        break;
    }
    if (rd_u64(r, interp + o->is_next, &interp))
      break;
  }
  return n;
}

/* 3.11's location table (Objects/locations.md): entries of a start byte
 * (bit 7 set, code in bits 3-6, length-1 code units in bits 0-2) and a
 * code-dependent payload of varints (6 bits each, 0x40 continues). Read in
 * small chunks: the preload runs this on the program's thread stacks. */
struct tw_cursor {
  const struct tw_py_reader *r;
  uint64_t addr, end;
  uint8_t buf[256];
  unsigned pos, len; /* buf[pos..len) not consumed yet */
};

static int tw_byte(struct tw_cursor *c, uint8_t *b) {
  if (c->pos == c->len) {
    uint64_t left = c->end - c->addr;
    if (!left)
      return -1;
    c->len = left < sizeof c->buf ? (unsigned)left : (unsigned)sizeof c->buf;
    if (c->r->read(c->r->ctx, c->addr, c->buf, c->len))
      return -1;
    c->addr += c->len;
    c->pos = 0;
  }
  *b = c->buf[c->pos++];
  return 0;
}

static int tw_varint(struct tw_cursor *c, uint32_t *out) {
  uint32_t v = 0;
  uint8_t b;
  for (int shift = 0; shift < 30; shift += 6) {
    if (tw_byte(c, &b))
      return -1;
    v |= (uint32_t)(b & 63) << shift;
    if (!(b & 64)) {
      *out = v;
      return 0;
    }
  }
  return -1;
}

static int tw_line_for(struct tw_cursor *c, int first_line, int64_t lasti) {
  int line = first_line;
  int64_t addr = 0;
  uint8_t b;
  while (!tw_byte(c, &b)) {
    if (!(b & 128))
      return -1; /* not at an entry start: corrupt */
    int code = (b >> 3) & 15, len = (b & 7) + 1, delta = 0;
    uint32_t v;
    if (code == 14 || code == 13) { /* long form, or no columns */
      if (tw_varint(c, &v))
        return -1;
      delta = (v & 1) ? -(int)(v >> 1) : (int)(v >> 1);
      if (code == 14) /* end line, column, end column */
        for (int k = 0; k < 3; ++k)
          if (tw_varint(c, &v))
            return -1;
    } else if (code >= 10 && code <= 12) { /* one line: delta, 2 column bytes */
      delta = code - 10;
      if (tw_byte(c, &b) || tw_byte(c, &b))
        return -1;
    } else if (code < 10) { /* short form: 1 column byte */
      if (tw_byte(c, &b))
        return -1;
    }
    line += delta;
    if (lasti >= addr && lasti < addr + len)
      return code == 15 ? -1 : line;
    addr += len;
  }
  return -1;
}

/* The fields of a code object the walk needs, from one read of its header:
 * they all lie before the bytecode (co_code_adaptive). Remote reads are
 * system calls: a frame whose (code, pc) is not in the reader's cache costs
 * two more, code header and line table. */
struct tw_code_hdr {
  uint64_t type, filename, qualname, linetable;
  int32_t first_line, traceable;
};

static int tw_read_code_hdr(const struct tw_py_reader *r, uint64_t code, struct tw_code_hdr *h) {
  const struct tw_py_offsets *o = r->off;
  uint8_t buf[TW_PY_HDR_MAX];
  if (o->co_code > sizeof buf || !code || r->read(r->ctx, code, buf, o->co_code))
    return -1;
  memcpy(&h->type, buf + o->ob_type, sizeof h->type);
  memcpy(&h->filename, buf + o->co_filename, sizeof h->filename);
  memcpy(&h->qualname, buf + o->co_qualname, sizeof h->qualname);
  memcpy(&h->linetable, buf + o->co_linetable, sizeof h->linetable);
  memcpy(&h->first_line, buf + o->co_firstlineno, sizeof h->first_line);
  memcpy(&h->traceable, buf + o->co_firsttraceable, sizeof h->traceable);
  return r->code_type && h->type != r->code_type ? -1 : 0; /* not a code object */
}

static uint64_t tw_identity(const struct tw_code_hdr *h) {
  return (h->filename * 0x9E3779B97F4A7C15ull) ^ (h->qualname * 0xC2B2AE3D27D4EB4Full) ^
         (uint32_t)h->first_line;
}

static int tw_code_line(const struct tw_py_reader *r, uint64_t code, const struct tw_code_hdr *h,
                        uint64_t prev_instr) {
  const struct tw_py_offsets *o = r->off;
  if (prev_instr < code + o->co_code)
    return h->first_line;
  /* The bytes object's size and the start of its data in one read. */
  struct tw_cursor c;
  c.r = r;
  uint64_t size = 0;
  size_t head = o->bytes_data + 192;
  if (head > sizeof c.buf)
    return h->first_line;
  if (r->read(r->ctx, h->linetable, c.buf, head)) { /* a small object at a page's end */
    head = o->bytes_data;
    if (r->read(r->ctx, h->linetable, c.buf, head))
      return h->first_line;
  }
  memcpy(&size, c.buf + o->bytes_size, sizeof size);
  if (size > TW_PY_LINETABLE_MAX)
    return h->first_line;
  c.pos = o->bytes_data;
  c.len = (unsigned)(size < head - o->bytes_data ? o->bytes_data + size : head);
  c.addr = h->linetable + head;
  c.end = h->linetable + o->bytes_data + size;
  if (c.end < c.addr)
    c.end = c.addr;
  int64_t lasti = (int64_t)(prev_instr - (code + o->co_code)) / 2; /* _Py_CODEUNIT */
  int line = tw_line_for(&c, h->first_line, lasti);
  return line >= 0 ? line : h->first_line;
}

/* The frame cache's slot for (code, pc). */
static unsigned tw_slot_of(uint64_t code, uint64_t pc) {
  return (unsigned)(((code ^ (pc * 0x9E3779B97F4A7C15ull)) * 0xFF51AFD7ED558CCDull) >> 40) %
         TW_PY_FRAME_CACHE;
}

static int tw_cache_get(struct tw_py_frame_cache *c, uint64_t code, uint64_t pc,
                        struct tw_py_frame *f, int *complete) {
  __typeof__(c->slot[0]) *s = &c->slot[tw_slot_of(code, pc)];
  uint64_t seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
  if (!seq || (seq & 1))
    return 0;
  uint64_t sc = __atomic_load_n(&s->code, __ATOMIC_RELAXED);
  uint64_t spc = __atomic_load_n(&s->pc, __ATOMIC_RELAXED);
  f->identity = __atomic_load_n(&s->identity, __ATOMIC_RELAXED);
  f->line = __atomic_load_n(&s->line, __ATOMIC_RELAXED);
  *complete = __atomic_load_n(&s->complete, __ATOMIC_RELAXED);
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  return __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == seq && sc == code && spc == pc;
}

static void tw_cache_put(struct tw_py_frame_cache *c, uint64_t code, uint64_t pc,
                         const struct tw_py_frame *f, int complete) {
  __typeof__(c->slot[0]) *s = &c->slot[tw_slot_of(code, pc)];
  uint64_t seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);
  if ((seq & 1) || !__atomic_compare_exchange_n(&s->seq, &seq, seq + 1, 0, __ATOMIC_ACQUIRE,
                                                __ATOMIC_RELAXED))
    return; /* another writer has it (perhaps the code this signal interrupted) */
  __atomic_store_n(&s->code, code, __ATOMIC_RELAXED);
  __atomic_store_n(&s->pc, pc, __ATOMIC_RELAXED);
  __atomic_store_n(&s->identity, f->identity, __ATOMIC_RELAXED);
  __atomic_store_n(&s->line, f->line, __ATOMIC_RELAXED);
  __atomic_store_n(&s->complete, complete, __ATOMIC_RELAXED);
  __atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}

/* Frames are pushed on the thread's data stack, each caller just below its
 * callee: one read of up to TW_PY_WINDOW bytes ending at a frame's end (and
 * starting no lower than its page, which is mapped if the frame is) usually
 * holds the frames under it too. */
enum { TW_PY_WINDOW = 2048 };

int tw_py_stack(const struct tw_py_reader *r, uint64_t frame, struct tw_py_frame *out, int max) {
  const struct tw_py_offsets *o = r->off;
  uint8_t win[TW_PY_WINDOW];
  uint64_t win_lo = 0, win_hi = 0;
  int n = 0;
  if (o->fr_span > TW_PY_WINDOW)
    return -1;
  for (int steps = 0; frame && n < max && steps < 1024; ++steps) {
    uint64_t end = frame + o->fr_span;
    if (end < frame)
      return -1;
    if (frame < win_lo || end > win_hi) {
      uint64_t lo = end - TW_PY_WINDOW < end ? end - TW_PY_WINDOW : 0, page = frame & ~4095ull;
      if (lo < page)
        lo = page;
      if (r->read(r->ctx, lo, win, end - lo))
        return -1;
      win_lo = lo;
      win_hi = end;
    }
    const uint8_t *buf = win + (frame - win_lo);
    uint64_t code, prev, previous;
    memcpy(&code, buf + o->fr_code, sizeof code);
    memcpy(&prev, buf + o->fr_prev_instr, sizeof prev);
    memcpy(&previous, buf + o->fr_previous, sizeof previous);
    char owner = (char)buf[o->fr_owner];
    struct tw_py_frame f = {code, 0, 0};
    int complete; /* _PyFrame_IsIncomplete's pc test: a frame still being set up is not shown */
    if (!r->cache || !tw_cache_get(r->cache, code, prev, &f, &complete)) {
      struct tw_code_hdr h;
      if (tw_read_code_hdr(r, code, &h))
        return -1; /* the chain changed under us */
      complete = prev >= code + o->co_code + 2u * (uint32_t)h.traceable;
      f.identity = tw_identity(&h);
      f.line = tw_code_line(r, code, &h, prev);
      if (r->cache)
        tw_cache_put(r->cache, code, prev, &f, complete);
    }
    if (owner == (char)o->owner_generator || complete)
      out[n++] = f;
    frame = previous;
  }
  return n;
}

/* A str as UTF-8: compact ASCII, or compact latin-1/UCS-2/UCS-4 encoded here.
 * state bits (3.11): interned 0-1, kind 2-4, compact 5, ascii 6. */
static void tw_read_str(const struct tw_py_reader *r, uint64_t s, char *out, size_t cap) {
  const struct tw_py_offsets *o = r->off;
  out[0] = 0;
  uint64_t len = 0;
  uint32_t state = 0;
  if (!s || rd_u64(r, s + o->str_length, &len) ||
      r->read(r->ctx, s + o->str_state, &state, sizeof state))
    return;
  unsigned kind = (state >> 2) & 7, compact = (state >> 5) & 1, ascii = (state >> 6) & 1;
  if (!compact || (kind != 1 && kind != 2 && kind != 4))
    return;
  if (ascii) {
    size_t n = len < cap - 1 ? (size_t)len : cap - 1;
    if (!r->read(r->ctx, s + o->ascii_data, out, n))
      out[n] = 0;
    return;
  }
  uint8_t raw[512];
  size_t chars = len < sizeof raw / kind ? (size_t)len : sizeof raw / kind;
  if (r->read(r->ctx, s + o->compact_data, raw, chars * kind))
    return;
  size_t w = 0;
  for (size_t i = 0; i < chars; ++i) {
    uint32_t c = kind == 1 ? raw[i]
                 : kind == 2 ? (uint32_t)raw[2 * i] | (uint32_t)raw[2 * i + 1] << 8
                             : (uint32_t)raw[4 * i] | (uint32_t)raw[4 * i + 1] << 8 |
                                   (uint32_t)raw[4 * i + 2] << 16 | (uint32_t)raw[4 * i + 3] << 24;
    uint8_t u[4];
    size_t k;
    if (c < 0x80) {
      u[0] = (uint8_t)c;
      k = 1;
    } else if (c < 0x800) {
      u[0] = (uint8_t)(0xC0 | c >> 6);
      u[1] = (uint8_t)(0x80 | (c & 63));
      k = 2;
    } else if (c < 0x10000) {
      u[0] = (uint8_t)(0xE0 | c >> 12);
      u[1] = (uint8_t)(0x80 | ((c >> 6) & 63));
      u[2] = (uint8_t)(0x80 | (c & 63));
      k = 3;
    } else {
      u[0] = (uint8_t)(0xF0 | (c >> 18 & 7));
      u[1] = (uint8_t)(0x80 | ((c >> 12) & 63));
      u[2] = (uint8_t)(0x80 | ((c >> 6) & 63));
      u[3] = (uint8_t)(0x80 | (c & 63));
      k = 4;
    }
    if (w + k >= cap)
      break;
    memcpy(out + w, u, k);
    w += k;
  }
  out[w] = 0;
}

int tw_py_code_info(const struct tw_py_reader *r, uint64_t code, struct tw_py_code *out) {
  struct tw_code_hdr h;
  if (tw_read_code_hdr(r, code, &h))
    return -1;
  out->identity = tw_identity(&h);
  out->first_line = h.first_line;
  tw_read_str(r, h.qualname, out->function, sizeof out->function);
  tw_read_str(r, h.filename, out->file, sizeof out->file);
  return 0;
}
