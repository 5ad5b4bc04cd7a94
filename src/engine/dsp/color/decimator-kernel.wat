;; The waveshaper oversampler's final 2x -> 1x stage (color/oversampling.ts): a symmetric odd-length
;; FIR of 2·centre + 1 taps, evaluated at every other sample of a history. For output i, with
;; n = 2·centre + 2i (the newest sample) and f = n − 2·centre (the oldest):
;;   s_r = Σ over k ≡ r (mod 4), k < centre, of taps[k]·(h[n − k] + h[f + k])
;;   y[i] = ((s_0 + s_1) + (s_2 + s_3)) + taps[centre]·h[n − centre]
;; Two f64x2 accumulators hold (s_0, s_1) and (s_2, s_3); centre must be a multiple of 4. The JS
;; fallback in oversampling.ts does the same operations in the same order (bit-identical).
(module
  (memory (export "memory") 1)
  (func (export "fir")
    (param $hist i32) (param $taps i32) (param $centre i32) (param $frames i32) (param $out i32)
    (local $i i32) (local $n i32) (local $q i32) (local $pa i32) (local $pb i32) (local $pt i32)
    (local $acc0 v128) (local $acc1 v128) (local $a v128) (local $mid f64)
    (local.set $mid (f64.load (i32.add (local.get $taps) (i32.shl (local.get $centre) (i32.const 3)))))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        ;; byte address of h[n], n = 2·centre + 2i
        (local.set $n (i32.add (local.get $hist)
          (i32.shl (i32.add (i32.shl (local.get $centre) (i32.const 1)) (i32.shl (local.get $i) (i32.const 1))) (i32.const 3))))
        (local.set $pa (i32.sub (local.get $n) (i32.const 8)))                          ;; h[n − k − 1], k = 0
        (local.set $pb (i32.sub (local.get $n) (i32.shl (local.get $centre) (i32.const 4)))) ;; h[f + k]
        (local.set $pt (local.get $taps))
        (local.set $acc0 (v128.const f64x2 0 0))
        (local.set $acc1 (v128.const f64x2 0 0))
        (local.set $q (i32.shr_u (local.get $centre) (i32.const 2)))
        (block $kd
          (loop $kl
            (br_if $kd (i32.eqz (local.get $q)))
            ;; taps k, k + 1
            (local.set $a (v128.load (local.get $pa)))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load (local.get $pt))
                (f64x2.add (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                  (v128.load (local.get $pb))))))
            ;; taps k + 2, k + 3
            (local.set $a (v128.load offset=0 (i32.sub (local.get $pa) (i32.const 16))))
            (local.set $acc1 (f64x2.add (local.get $acc1)
              (f64x2.mul (v128.load offset=16 (local.get $pt))
                (f64x2.add (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))
                  (v128.load offset=16 (local.get $pb))))))
            (local.set $pa (i32.sub (local.get $pa) (i32.const 32)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br $kl)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add
            (f64.add
              (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0)))
              (f64.add (f64x2.extract_lane 0 (local.get $acc1)) (f64x2.extract_lane 1 (local.get $acc1))))
            (f64.mul (local.get $mid) (f64.load (i32.sub (local.get $n) (i32.shl (local.get $centre) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))))
