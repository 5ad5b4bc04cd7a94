;; Halfband 2x interpolator (resample/halfband.ts HalfbandUpsampler), WebAssembly SIMD, f64.
;; Source of halfband-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; up(buf, coef, m, frames, out), byte addresses of f64 arrays:
;;   buf: history = 2m + 1 samples, then `frames` new ones (x[i - j] = buf[history + i - j]);
;;   coef: c_k, k = 0..m (2 * the halfband's even taps);
;;   out: y[2i] = sum_k c_k (buf[history + i - k] + buf[i + k]), summed k = 0, 1, .., m;
;;        y[2i + 1] = buf[history + i - m].
;; Two outputs per f64x2 (lanes i, i + 1), two vectors per trip; a scalar loop finishes frames mod 4.
;; Each lane does exactly the JS path's operations in the same order (mul and add rounded separately),
;; so the results are bit-identical to it.
(module
  (memory (export "memory") 1)

  (func (export "up") (param $buf i32) (param $coef i32) (param $m i32) (param $frames i32) (param $out i32)
    (local $i i32) (local $k i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $newest i32)
    (local $c v128) (local $s0 v128) (local $s1 v128) (local $d0 v128) (local $d1 v128)
    (local $cs f64) (local $sum f64) (local $o i32)
    (block $done4
      (loop $next4
        (br_if $done4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $frames)))
        ;; newest = buf + (2m + 1 + i) * 8
        (local.set $newest (i32.add (local.get $buf)
          (i32.shl (i32.add (i32.add (i32.shl (local.get $m) (i32.const 1)) (i32.const 1)) (local.get $i)) (i32.const 3))))
        (local.set $pa (local.get $newest))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $pc (local.get $coef))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $taps
          (local.set $c (v128.load64_splat (local.get $pc)))
          (local.set $s0 (f64x2.add (local.get $s0)
            (f64x2.mul (local.get $c) (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
          (local.set $s1 (f64x2.add (local.get $s1)
            (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))))
          (local.set $pa (i32.sub (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $taps (i32.le_s (local.get $k) (local.get $m))))
        ;; centre copies: buf[newest - m ..]
        (local.set $pa (i32.sub (local.get $newest) (i32.shl (local.get $m) (i32.const 3))))
        (local.set $d0 (v128.load (local.get $pa)))
        (local.set $d1 (v128.load offset=16 (local.get $pa)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))))
        (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $d0)))
        (v128.store offset=16 (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $d0)))
        (v128.store offset=32 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s1) (local.get $d1)))
        (v128.store offset=48 (local.get $o) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s1) (local.get $d1)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $frames)))
        (local.set $newest (i32.add (local.get $buf)
          (i32.shl (i32.add (i32.add (i32.shl (local.get $m) (i32.const 1)) (i32.const 1)) (local.get $i)) (i32.const 3))))
        (local.set $pa (local.get $newest))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $pc (local.get $coef))
        (local.set $sum (f64.const 0))
        (local.set $k (i32.const 0))
        (loop $taps1
          (local.set $sum (f64.add (local.get $sum)
            (f64.mul (f64.load (local.get $pc)) (f64.add (f64.load (local.get $pa)) (f64.load (local.get $pb))))))
          (local.set $pa (i32.sub (local.get $pa) (i32.const 8)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $taps1 (i32.le_s (local.get $k) (local.get $m))))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))))
        (f64.store (local.get $o) (local.get $sum))
        (f64.store offset=8 (local.get $o) (f64.load (i32.sub (local.get $newest) (i32.shl (local.get $m) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))))
