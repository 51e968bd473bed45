package cxxrt

// shimC defines, inside the rebuilt runtime, the two functions GCC 12's
// runtime takes from glibc ≥ 2.35.
const shimC = `/* Replacements for the two glibc >= 2.35 functions GCC 12's runtime uses,
   so the rebuilt libstdc++/libgcc_s need glibc <= 2.34. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <dlfcn.h>
#include <link.h>
#include <sys/random.h>
#include <errno.h>

struct cg_find { uintptr_t pc; struct dl_find_object *r; int found; };

static int cg_cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct cg_find *f = data;
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  int inside = 0;
  const ElfW(Phdr) *eh = NULL;
  (void)size;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type == PT_LOAD) {
      uintptr_t s = info->dlpi_addr + p->p_vaddr, e = s + p->p_memsz;
      if (s < lo) lo = s;
      if (e > hi) hi = e;
      if (f->pc >= s && f->pc < e) inside = 1;
    } else if (p->p_type == PT_GNU_EH_FRAME) {
      eh = p;
    }
  }
  if (!inside) return 0;
  f->r->dlfo_flags = 0;
  f->r->dlfo_map_start = (void *)lo;
  f->r->dlfo_map_end = (void *)hi;
  f->r->dlfo_link_map = NULL;
  f->r->dlfo_eh_frame = eh ? (void *)(info->dlpi_addr + eh->p_vaddr) : NULL;
  f->found = 1;
  return 1;
}

/* GCC's unwinder looks FDEs up with _dl_find_object (glibc 2.35); older
   glibc offers dl_iterate_phdr, which the unwinder used before. */
int _dl_find_object(void *pc, struct dl_find_object *result) {
  struct cg_find f = { (uintptr_t)pc, result, 0 };
  dl_iterate_phdr(cg_cb, &f);
  return f.found ? 0 : -1;
}

/* std::random_device's "arc4random" token (glibc 2.36). */
uint32_t arc4random(void) {
  uint32_t v;
  while (getrandom(&v, sizeof v, 0) != sizeof v) {
  }
  return v;
}
`
