;; Stereo biquads (RBJ cookbook sections, filters/biquad.ts) over planar f32 buffers in an imported memory:
;; every f64x2 lane runs the JS path's scalar operations, in the same order, without fused multiply-add,
;; so the results are bit-identical (section and split2: left channel in lane 0, right in lane 1; pair:
;; one section per lane, left and right as two vectors).
;;
;; A section's coefficients are 5 f64 at `coef` (b0, b1, b2, a1, a2; a0 = 1) and its state 4 f64x2 at
;; `state` (x1, x2, y1, y2, each [left, right]: Biquad's state layout for two channels). Per sample
;;   y = (b0·x + b1·x1 + b2·x2 − a2·y2) − a1·y1,   y = 0 where |y| < 1e-30 (DENORMAL_FLOOR),
;; the input is a float32 buffer and the output is rounded to float32 (as between Biquad.process calls).
;;
;;   section(inL, inR, outL, outR, n, coef, state)            one section; out may be in.
;;   pair(table, n)
;;       two independent sections (different inputs and outputs) in one pass, one in each lane; the
;;       outputs are checked for flushed samples afterwards (see below).
;;   split2(inL, inR, lowL, lowR, highL, highR, n, coef, state)
;;       the 2-band Linkwitz-Riley LR4 split of filters/crossover.ts (lr4SplitInPlace): coefficients
;;       b0, a1, a2 (3 f64: low-pass numerator b0·(1, 2, 1), shared denominator, all-pass numerator
;;       (a2, a1, 1)); state 8 f64x2 (x1, x2, l1, l2, m1, m2, p1, p2); low = f32(LP²(x)), high = f32(AP(x) − LP²(x)).
(module
  (import "env" "memory" (memory 1))

  (func $section (export "section") (param $inL i32) (param $inR i32) (param $outL i32) (param $outR i32) (param $n i32) (param $coef i32) (param $state i32)
    (local $i i32) (local $end i32) (local $x1 v128) (local $x2 v128) (local $y1 v128) (local $y2 v128) (local $v v128) (local $y v128) (local $m v128) (local $d v128)
    (local.set $x1 (v128.load (local.get $state)))
    (local.set $x2 (v128.load offset=16 (local.get $state)))
    (local.set $y1 (v128.load offset=32 (local.get $state)))
    (local.set $y2 (v128.load offset=48 (local.get $state)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (local.get $i)) (v128.load32_zero (i32.add (local.get $inL) (local.get $i))))))
        (local.set $y (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $coef)) (local.get $v)) (f64x2.mul (v128.load64_splat offset=8 (local.get $coef)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $coef)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $coef)) (local.get $y2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $coef)) (local.get $y1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $y)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $y (v128.andnot (local.get $y) (local.get $m)))))
        (local.set $x2 (local.get $x1)) (local.set $x1 (local.get $v)) (local.set $y2 (local.get $y1)) (local.set $y1 (local.get $y))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $y)))
        (v128.store32_lane 0 (i32.add (local.get $outL) (local.get $i)) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $outR) (local.get $i)) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (v128.store (local.get $state) (local.get $x1))
    (v128.store offset=16 (local.get $state) (local.get $x2))
    (v128.store offset=32 (local.get $state) (local.get $y1))
    (v128.store offset=48 (local.get $state) (local.get $y2)))

  (func (export "split2") (param $inL i32) (param $inR i32) (param $lowL i32) (param $lowR i32) (param $highL i32) (param $highR i32)
    (param $n i32) (param $coef i32) (param $state i32)
    (local $i i32) (local $end i32) (local $b0 v128) (local $a1 v128) (local $a2 v128)
    (local $x1 v128) (local $x2 v128) (local $l1 v128) (local $l2 v128) (local $m1 v128) (local $m2 v128) (local $p1 v128) (local $p2 v128)
    (local $v v128) (local $l v128) (local $mm v128) (local $p v128) (local $m v128) (local $d v128)
    (local.set $b0 (v128.load64_splat (local.get $coef)))
    (local.set $a1 (v128.load64_splat offset=8 (local.get $coef)))
    (local.set $a2 (v128.load64_splat offset=16 (local.get $coef)))
    (local.set $x1 (v128.load (local.get $state)))
    (local.set $x2 (v128.load offset=16 (local.get $state)))
    (local.set $l1 (v128.load offset=32 (local.get $state)))
    (local.set $l2 (v128.load offset=48 (local.get $state)))
    (local.set $m1 (v128.load offset=64 (local.get $state)))
    (local.set $m2 (v128.load offset=80 (local.get $state)))
    (local.set $p1 (v128.load offset=96 (local.get $state)))
    (local.set $p2 (v128.load offset=112 (local.get $state)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (local.get $i)) (v128.load32_zero (i32.add (local.get $inL) (local.get $i))))))
        ;; l = (b0·(v + 2·x1 + x2) − a2·l2) − a1·l1
        (local.set $l (f64x2.sub (f64x2.sub
          (f64x2.mul (local.get $b0) (f64x2.add (f64x2.add (local.get $v) (f64x2.mul (v128.const f64x2 2 2) (local.get $x1))) (local.get $x2)))
          (f64x2.mul (local.get $a2) (local.get $l2))) (f64x2.mul (local.get $a1) (local.get $l1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $l)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $l (v128.andnot (local.get $l) (local.get $m)))))
        ;; m = (b0·(l + 2·l1 + l2) − a2·m2) − a1·m1
        (local.set $mm (f64x2.sub (f64x2.sub
          (f64x2.mul (local.get $b0) (f64x2.add (f64x2.add (local.get $l) (f64x2.mul (v128.const f64x2 2 2) (local.get $l1))) (local.get $l2)))
          (f64x2.mul (local.get $a2) (local.get $m2))) (f64x2.mul (local.get $a1) (local.get $m1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $mm)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $mm (v128.andnot (local.get $mm) (local.get $m)))))
        ;; p = (a2·v + a1·x1 + x2 − a2·p2) − a1·p1
        (local.set $p (f64x2.sub (f64x2.sub
          (f64x2.add (f64x2.add (f64x2.mul (local.get $a2) (local.get $v)) (f64x2.mul (local.get $a1) (local.get $x1))) (local.get $x2))
          (f64x2.mul (local.get $a2) (local.get $p2))) (f64x2.mul (local.get $a1) (local.get $p1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $p)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $p (v128.andnot (local.get $p) (local.get $m)))))
        (local.set $x2 (local.get $x1)) (local.set $x1 (local.get $v)) (local.set $l2 (local.get $l1)) (local.set $l1 (local.get $l))
        (local.set $m2 (local.get $m1)) (local.set $m1 (local.get $mm)) (local.set $p2 (local.get $p1)) (local.set $p1 (local.get $p))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $mm)))
        (v128.store32_lane 0 (i32.add (local.get $lowL) (local.get $i)) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $lowR) (local.get $i)) (local.get $d))
        (local.set $d (f32x4.demote_f64x2_zero (f64x2.sub (local.get $p) (local.get $mm))))
        (v128.store32_lane 0 (i32.add (local.get $highL) (local.get $i)) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $highR) (local.get $i)) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (v128.store (local.get $state) (local.get $x1))
    (v128.store offset=16 (local.get $state) (local.get $x2))
    (v128.store offset=32 (local.get $state) (local.get $l1))
    (v128.store offset=48 (local.get $state) (local.get $l2))
    (v128.store offset=64 (local.get $state) (local.get $m1))
    (v128.store offset=80 (local.get $state) (local.get $m2))
    (v128.store offset=96 (local.get $state) (local.get $p1))
    (v128.store offset=112 (local.get $state) (local.get $p2)))
  (func $pairFast (param $t i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local $aL i32) (local $aR i32) (local $bL i32) (local $bR i32) (local $oaL i32) (local $oaR i32) (local $obL i32) (local $obR i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128)
    (local $x1L v128) (local $x2L v128) (local $y1L v128) (local $y2L v128) (local $x1R v128) (local $x2R v128) (local $y1R v128) (local $y2R v128)
    (local $vL v128) (local $vR v128) (local $wL v128) (local $wR v128) (local $ca i32) (local $cb i32) (local $sa i32) (local $sb i32)
    (local.set $aL (i32.load (local.get $t))) (local.set $aR (i32.load offset=4 (local.get $t)))
    (local.set $oaL (i32.load offset=8 (local.get $t))) (local.set $oaR (i32.load offset=12 (local.get $t)))
    (local.set $bL (i32.load offset=16 (local.get $t))) (local.set $bR (i32.load offset=20 (local.get $t)))
    (local.set $obL (i32.load offset=24 (local.get $t))) (local.set $obR (i32.load offset=28 (local.get $t)))
    (local.set $ca (i32.load offset=32 (local.get $t))) (local.set $sa (i32.load offset=36 (local.get $t)))
    (local.set $cb (i32.load offset=40 (local.get $t))) (local.set $sb (i32.load offset=44 (local.get $t)))
    ;; coefficients (A in lane 0, B in lane 1)
    (local.set $b0 (v128.load64_lane offset=0 1 (local.get $cb) (v128.load64_zero offset=0 (local.get $ca))))
    (local.set $b1 (v128.load64_lane offset=8 1 (local.get $cb) (v128.load64_zero offset=8 (local.get $ca))))
    (local.set $b2 (v128.load64_lane offset=16 1 (local.get $cb) (v128.load64_zero offset=16 (local.get $ca))))
    (local.set $a1 (v128.load64_lane offset=24 1 (local.get $cb) (v128.load64_zero offset=24 (local.get $ca))))
    (local.set $a2 (v128.load64_lane offset=32 1 (local.get $cb) (v128.load64_zero offset=32 (local.get $ca))))
    (local.set $x1L (v128.load64_lane offset=0 1 (local.get $sb) (v128.load64_zero offset=0 (local.get $sa))))
    (local.set $x1R (v128.load64_lane offset=8 1 (local.get $sb) (v128.load64_zero offset=8 (local.get $sa))))
    (local.set $x2L (v128.load64_lane offset=16 1 (local.get $sb) (v128.load64_zero offset=16 (local.get $sa))))
    (local.set $x2R (v128.load64_lane offset=24 1 (local.get $sb) (v128.load64_zero offset=24 (local.get $sa))))
    (local.set $y1L (v128.load64_lane offset=32 1 (local.get $sb) (v128.load64_zero offset=32 (local.get $sa))))
    (local.set $y1R (v128.load64_lane offset=40 1 (local.get $sb) (v128.load64_zero offset=40 (local.get $sa))))
    (local.set $y2L (v128.load64_lane offset=48 1 (local.get $sb) (v128.load64_zero offset=48 (local.get $sa))))
    (local.set $y2R (v128.load64_lane offset=56 1 (local.get $sb) (v128.load64_zero offset=56 (local.get $sa))))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $end)))
        (local.set $vL (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bL) (local.get $i)) (v128.load32_zero (i32.add (local.get $aL) (local.get $i))))))
        (local.set $y2L (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vL)) (f64x2.mul (local.get $b1) (local.get $x1L))) (f64x2.mul (local.get $b2) (local.get $x2L))) (f64x2.mul (local.get $a2) (local.get $y2L))) (f64x2.mul (local.get $a1) (local.get $y1L))))
        (local.set $x2L (local.get $vL))
        (local.set $vR (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bR) (local.get $i)) (v128.load32_zero (i32.add (local.get $aR) (local.get $i))))))
        (local.set $y2R (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vR)) (f64x2.mul (local.get $b1) (local.get $x1R))) (f64x2.mul (local.get $b2) (local.get $x2R))) (f64x2.mul (local.get $a2) (local.get $y2R))) (f64x2.mul (local.get $a1) (local.get $y1R))))
        (local.set $x2R (local.get $vR))
        (local.set $wL (f32x4.demote_f64x2_zero (local.get $y2L)))
        (v128.store32_lane 0 (i32.add (local.get $oaL) (local.get $i)) (local.get $wL))
        (v128.store32_lane 1 (i32.add (local.get $obL) (local.get $i)) (local.get $wL))
        (local.set $wR (f32x4.demote_f64x2_zero (local.get $y2R)))
        (v128.store32_lane 0 (i32.add (local.get $oaR) (local.get $i)) (local.get $wR))
        (v128.store32_lane 1 (i32.add (local.get $obR) (local.get $i)) (local.get $wR))
        (local.set $vL (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bL) (i32.add (local.get $i) (i32.const 4))) (v128.load32_zero (i32.add (local.get $aL) (i32.add (local.get $i) (i32.const 4)))))))
        (local.set $y1L (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vL)) (f64x2.mul (local.get $b1) (local.get $x2L))) (f64x2.mul (local.get $b2) (local.get $x1L))) (f64x2.mul (local.get $a2) (local.get $y1L))) (f64x2.mul (local.get $a1) (local.get $y2L))))
        (local.set $x1L (local.get $vL))
        (local.set $vR (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bR) (i32.add (local.get $i) (i32.const 4))) (v128.load32_zero (i32.add (local.get $aR) (i32.add (local.get $i) (i32.const 4)))))))
        (local.set $y1R (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vR)) (f64x2.mul (local.get $b1) (local.get $x2R))) (f64x2.mul (local.get $b2) (local.get $x1R))) (f64x2.mul (local.get $a2) (local.get $y1R))) (f64x2.mul (local.get $a1) (local.get $y2R))))
        (local.set $x1R (local.get $vR))
        (local.set $wL (f32x4.demote_f64x2_zero (local.get $y1L)))
        (v128.store32_lane 0 (i32.add (local.get $oaL) (i32.add (local.get $i) (i32.const 4))) (local.get $wL))
        (v128.store32_lane 1 (i32.add (local.get $obL) (i32.add (local.get $i) (i32.const 4))) (local.get $wL))
        (local.set $wR (f32x4.demote_f64x2_zero (local.get $y1R)))
        (v128.store32_lane 0 (i32.add (local.get $oaR) (i32.add (local.get $i) (i32.const 4))) (local.get $wR))
        (v128.store32_lane 1 (i32.add (local.get $obR) (i32.add (local.get $i) (i32.const 4))) (local.get $wR))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $vL (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bL) (local.get $i)) (v128.load32_zero (i32.add (local.get $aL) (local.get $i))))))
        (local.set $wL (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vL)) (f64x2.mul (local.get $b1) (local.get $x1L))) (f64x2.mul (local.get $b2) (local.get $x2L))) (f64x2.mul (local.get $a2) (local.get $y2L))) (f64x2.mul (local.get $a1) (local.get $y1L))))
        (local.set $x2L (local.get $x1L)) (local.set $x1L (local.get $vL)) (local.set $y2L (local.get $y1L)) (local.set $y1L (local.get $wL))
        (local.set $wL (f32x4.demote_f64x2_zero (local.get $y1L)))
        (v128.store32_lane 0 (i32.add (local.get $oaL) (local.get $i)) (local.get $wL))
        (v128.store32_lane 1 (i32.add (local.get $obL) (local.get $i)) (local.get $wL))
        (local.set $vR (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $bR) (local.get $i)) (v128.load32_zero (i32.add (local.get $aR) (local.get $i))))))
        (local.set $wR (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $vR)) (f64x2.mul (local.get $b1) (local.get $x1R))) (f64x2.mul (local.get $b2) (local.get $x2R))) (f64x2.mul (local.get $a2) (local.get $y2R))) (f64x2.mul (local.get $a1) (local.get $y1R))))
        (local.set $x2R (local.get $x1R)) (local.set $x1R (local.get $vR)) (local.set $y2R (local.get $y1R)) (local.set $y1R (local.get $wR))
        (local.set $wR (f32x4.demote_f64x2_zero (local.get $y1R)))
        (v128.store32_lane 0 (i32.add (local.get $oaR) (local.get $i)) (local.get $wR))
        (v128.store32_lane 1 (i32.add (local.get $obR) (local.get $i)) (local.get $wR))
        ))
    (v128.store offset=48 (local.get $t) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x1L) (local.get $x1R)))
    (v128.store offset=112 (local.get $t) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x1L) (local.get $x1R)))
    (v128.store offset=64 (local.get $t) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $x2L) (local.get $x2R)))
    (v128.store offset=128 (local.get $t) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $x2L) (local.get $x2R)))
    (v128.store offset=80 (local.get $t) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $y1L) (local.get $y1R)))
    (v128.store offset=144 (local.get $t) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $y1L) (local.get $y1R)))
    (v128.store offset=96 (local.get $t) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $y2L) (local.get $y2R)))
    (v128.store offset=160 (local.get $t) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $y2L) (local.get $y2R)))
  )

  ;; 1 if any of the first n f32 samples of l or r has |v| < 1.0001e-30 (zeros included): every output
  ;; that the per-sample flush would have changed (|y| < 1e-30 rounds to at most ~1.0000001e-30 in f32)
  ;; is caught, and a false alarm only costs the exact pass.
  (func $tiny (param $l i32) (param $r i32) (param $n i32) (result i32)
    (local $i i32) (local $acc v128) (local $mask v128)
    ;; |v| < T as the minimum of the magnitudes' bit patterns (unsigned; a NaN's is above every finite one).
    (local.set $mask (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
    (local.set $acc (v128.const i32x4 -1 -1 -1 -1))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $acc (i32x4.min_u (i32x4.min_u (local.get $acc)
          (v128.and (v128.load (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 2)))) (local.get $mask)))
          (v128.and (v128.load offset=16 (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 2)))) (local.get $mask))))
        (local.set $acc (i32x4.min_u (i32x4.min_u (local.get $acc)
          (v128.and (v128.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2)))) (local.get $mask)))
          (v128.and (v128.load offset=16 (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2)))) (local.get $mask))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.or (f32.lt (f32.abs (f32.load (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 2))))) (f32.const 1.0001e-30))
                    (f32.lt (f32.abs (f32.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2))))) (f32.const 1.0001e-30)))
          (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (v128.any_true (i32x4.lt_u (local.get $acc) (i32x4.splat (i32.reinterpret_f32 (f32.const 1.0001e-30))))))

  ;; pair(table, n): two independent sections in one pass (A in lane 0, B in lane 1; left and right as two
  ;; chains), each from its own input to its own output (which must not overlap any input of the pass).
  ;; table (i32): inAL, inAR, outAL, outAR, inBL, inBR, outBL, outBR, coefA, stateA, coefB, stateB, then
  ;; 128 bytes of scratch (from byte 48). The fast pass has no per-sample flush and leaves the final
  ;; states in the scratch; a section whose output holds a sample at or below the denormal floor is run
  ;; again by $section from its (untouched) state, the others take the scratch state: the result is
  ;; always the per-sample flushed one.
  (func (export "pair") (param $t i32) (param $n i32)
    (call $pairFast (local.get $t) (local.get $n))
    (if (call $tiny (i32.load offset=8 (local.get $t)) (i32.load offset=12 (local.get $t)) (local.get $n))
      (then (call $section (i32.load (local.get $t)) (i32.load offset=4 (local.get $t)) (i32.load offset=8 (local.get $t))
        (i32.load offset=12 (local.get $t)) (local.get $n) (i32.load offset=32 (local.get $t)) (i32.load offset=36 (local.get $t))))
      (else (memory.copy (i32.load offset=36 (local.get $t)) (i32.add (local.get $t) (i32.const 48)) (i32.const 64))))
    (if (call $tiny (i32.load offset=24 (local.get $t)) (i32.load offset=28 (local.get $t)) (local.get $n))
      (then (call $section (i32.load offset=16 (local.get $t)) (i32.load offset=20 (local.get $t)) (i32.load offset=24 (local.get $t))
        (i32.load offset=28 (local.get $t)) (local.get $n) (i32.load offset=40 (local.get $t)) (i32.load offset=44 (local.get $t))))
      (else (memory.copy (i32.load offset=44 (local.get $t)) (i32.add (local.get $t) (i32.const 112)) (i32.const 64)))))
)
