package io.kaiware.command.geo;

import java.util.Comparator;
import java.util.List;

/**
 * Redis's pqsort.c (NetBSD's qsort made partial): sorts only as much of the array as the element
 * range [lrange, rrange] needs. Ported step for step, including its unstable partitioning, so that
 * a GEOSEARCH ... COUNT n picks among equally distant members exactly as Redis does. Positions are
 * kept in bytes of a notional 2-byte element, as the C pointers are, so the range tests
 * ({@code a + r - 1}) compare the same way.
 */
final class PartialSort {
  private PartialSort() {}

  private static final int ES = 2;

  static <T> void pqsort(List<T> list, Comparator<? super T> cmp, int lrange, int rrange) {
    new Sorter<>(list, cmp).sort(0, list.size(), lrange * ES, (rrange + 1) * ES - 1);
  }

  private static final class Sorter<T> {
    final List<T> v;
    final Comparator<? super T> cmp;

    Sorter(List<T> v, Comparator<? super T> cmp) {
      this.v = v;
      this.cmp = cmp;
    }

    int c(int p, int q) {
      return cmp.compare(v.get(p / ES), v.get(q / ES));
    }

    void swap(int p, int q) {
      T t = v.get(p / ES);
      v.set(p / ES, v.get(q / ES));
      v.set(q / ES, t);
    }

    void vecswap(int p, int q, int n) {
      for (int i = 0; i < n / ES; i++) {
        swap(p + i * ES, q + i * ES);
      }
    }

    int med3(int a, int b, int cc) {
      return c(a, b) < 0 ? (c(b, cc) < 0 ? b : (c(a, cc) < 0 ? cc : a))
          : (c(b, cc) > 0 ? b : (c(a, cc) < 0 ? a : cc));
    }

    void sort(int a, int n, int lrange, int rrange) {
      while (true) {
        if (n < 7) {
          for (int pm = a + ES; pm < a + n * ES; pm += ES) {
            for (int pl = pm; pl > a && c(pl - ES, pl) > 0; pl -= ES) {
              swap(pl, pl - ES);
            }
          }
          return;
        }
        int pm = a + (n / 2) * ES;
        if (n > 7) {
          int pl = a;
          int pn = a + (n - 1) * ES;
          if (n > 40) {
            int d = (n / 8) * ES;
            pl = med3(pl, pl + d, pl + 2 * d);
            pm = med3(pm - d, pm, pm + d);
            pn = med3(pn - 2 * d, pn - d, pn);
          }
          pm = med3(pl, pm, pn);
        }
        swap(a, pm);
        int pa = a + ES;
        int pb = pa;
        int pc = a + (n - 1) * ES;
        int pd = pc;
        for (;;) {
          int r;
          while (pb <= pc && (r = c(pb, a)) <= 0) {
            if (r == 0) {
              swap(pa, pb);
              pa += ES;
            }
            pb += ES;
          }
          while (pb <= pc && (r = c(pc, a)) >= 0) {
            if (r == 0) {
              swap(pc, pd);
              pd -= ES;
            }
            pc -= ES;
          }
          if (pb > pc) {
            break;
          }
          swap(pb, pc);
          pb += ES;
          pc -= ES;
        }
        int pn = a + n * ES;
        int r = Math.min(pa - a, pb - pa);
        if (r > 0) {
          vecswap(a, pb - r, r);
        }
        r = Math.min(pd - pc, pn - pd - ES);
        if (r > 0) {
          vecswap(pb, pn - r, r);
        }
        if ((r = pb - pa) > ES) {
          int l = a;
          int rr = a + r - 1;
          if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) {
            sort(a, r / ES, lrange, rrange);
          }
        }
        if ((r = pd - pc) > ES) {
          a = pn - r;
          n = r / ES;
          int l = a;
          int rr = a + r - 1;
          if (!((lrange < l && rrange < l) || (lrange > rr && rrange > rr))) {
            continue;
          }
        }
        return;
      }
    }
  }
}
