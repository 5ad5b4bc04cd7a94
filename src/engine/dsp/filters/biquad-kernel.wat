;; Stereo biquads (RBJ cookbook sections, filters/biquad.ts) over planar f32 buffers in an imported memory:
;; the left channel in lane 0 and the right in lane 1 of every f64x2, so each operation is the JS path's
;; scalar operation on both channels, in the same order, without fused multiply-add: bit-identical.
;;
;; A section's coefficients are 5 f64 at `coef` (b0, b1, b2, a1, a2; a0 = 1) and its state 4 f64x2 at
;; `state` (x1, x2, y1, y2, each [left, right]: Biquad's state layout for two channels). Per sample
;;   y = (b0·x + b1·x1 + b2·x2 − a2·y2) − a1·y1,   y = 0 where |y| < 1e-30 (DENORMAL_FLOOR),
;; the input is a float32 buffer and the output is rounded to float32 (as between Biquad.process calls).
;;
;;   section(inL, inR, outL, outR, n, coef, state)            one section; out may be in.
;;   cascade(inL, inR, outL, outR, n, coefA, stateA, coefB, stateB)
;;       B(f32(A(x))): two sections in one pass; out must not overlap in. The fast loop overlaps the
;;       two recursions (B runs one frame behind A) and, instead of testing each output against the
;;       denormal floor, keeps the smallest |output|; only if that is below the floor (silence, or
;;       signals decaying to it) is the pass run again from the saved state with the per-sample
;;       flush, so the result is always the per-sample flushed one.
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

  ;; cascade with the per-sample flush (the reference; cascade's fallback)
  (func $cascadeExact (param $inL i32) (param $inR i32) (param $outL i32) (param $outR i32) (param $n i32) (param $ca i32) (param $sa i32) (param $cb i32) (param $sb i32)
    (local $i i32) (local $end i32) (local $x1 v128) (local $x2 v128) (local $y1 v128) (local $y2 v128) (local $u1 v128) (local $u2 v128) (local $z1 v128) (local $z2 v128)
    (local $v v128) (local $y v128) (local $w v128) (local $z v128) (local $m v128) (local $d v128)
    (local.set $x1 (v128.load (local.get $sa)))
    (local.set $x2 (v128.load offset=16 (local.get $sa)))
    (local.set $y1 (v128.load offset=32 (local.get $sa)))
    (local.set $y2 (v128.load offset=48 (local.get $sa)))
    (local.set $u1 (v128.load (local.get $sb)))
    (local.set $u2 (v128.load offset=16 (local.get $sb)))
    (local.set $z1 (v128.load offset=32 (local.get $sb)))
    (local.set $z2 (v128.load offset=48 (local.get $sb)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (local.get $i)) (v128.load32_zero (i32.add (local.get $inL) (local.get $i))))))
        (local.set $y (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $ca)) (local.get $v)) (f64x2.mul (v128.load64_splat offset=8 (local.get $ca)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $ca)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $ca)) (local.get $y2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $ca)) (local.get $y1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $y)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $y (v128.andnot (local.get $y) (local.get $m)))))
        (local.set $x2 (local.get $x1)) (local.set $x1 (local.get $v)) (local.set $y2 (local.get $y1)) (local.set $y1 (local.get $y))
        (local.set $w (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $y))))
        (local.set $z (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $cb)) (local.get $w)) (f64x2.mul (v128.load64_splat offset=8 (local.get $cb)) (local.get $u1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $cb)) (local.get $u2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $cb)) (local.get $z2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $cb)) (local.get $z1))))
        (local.set $m (f64x2.lt (f64x2.abs (local.get $z)) (v128.const f64x2 1e-30 1e-30)))
        (if (v128.any_true (local.get $m)) (then (local.set $z (v128.andnot (local.get $z) (local.get $m)))))
        (local.set $u2 (local.get $u1)) (local.set $u1 (local.get $w)) (local.set $z2 (local.get $z1)) (local.set $z1 (local.get $z))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $z)))
        (v128.store32_lane 0 (i32.add (local.get $outL) (local.get $i)) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $outR) (local.get $i)) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (v128.store (local.get $sa) (local.get $x1))
    (v128.store offset=16 (local.get $sa) (local.get $x2))
    (v128.store offset=32 (local.get $sa) (local.get $y1))
    (v128.store offset=48 (local.get $sa) (local.get $y2))
    (v128.store (local.get $sb) (local.get $u1))
    (v128.store offset=16 (local.get $sb) (local.get $u2))
    (v128.store offset=32 (local.get $sb) (local.get $z1))
    (v128.store offset=48 (local.get $sb) (local.get $z2)))

  (func (export "cascade") (param $inL i32) (param $inR i32) (param $outL i32) (param $outR i32) (param $n i32) (param $ca i32) (param $sa i32) (param $cb i32) (param $sb i32)
    (local $i i32) (local $end i32) (local $x1 v128) (local $x2 v128) (local $y1 v128) (local $y2 v128) (local $u1 v128) (local $u2 v128) (local $z1 v128) (local $z2 v128)
    (local $v v128) (local $v1 v128) (local $y v128) (local $c v128) (local $c0 v128) (local $z v128) (local $mn v128) (local $d v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $x1 (v128.load (local.get $sa)))
    (local.set $x2 (v128.load offset=16 (local.get $sa)))
    (local.set $y1 (v128.load offset=32 (local.get $sa)))
    (local.set $y2 (v128.load offset=48 (local.get $sa)))
    (local.set $u1 (v128.load (local.get $sb)))
    (local.set $u2 (v128.load offset=16 (local.get $sb)))
    (local.set $z1 (v128.load offset=32 (local.get $sb)))
    (local.set $z2 (v128.load offset=48 (local.get $sb)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $mn (v128.const f64x2 inf inf))
    ;; Frame 0 through A; c carries f32(A's output) for B, one frame behind.
    (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (i32.const 0)) (v128.load32_zero (i32.add (local.get $inL) (i32.const 0))))))
    (local.set $y (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $ca)) (local.get $v)) (f64x2.mul (v128.load64_splat offset=8 (local.get $ca)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $ca)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $ca)) (local.get $y2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $ca)) (local.get $y1))))
    (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $y))))
    (local.set $x2 (local.get $x1)) (local.set $x1 (local.get $v)) (local.set $y2 (local.get $y1)) (local.set $y1 (local.get $y))
    (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $y))))
    (local.set $i (i32.const 4))
    ;; Two frames per turn: A(f), B(f − 1), A(f + 1), B(f). The second frame of each pair uses the
    ;; registers with the roles of x1/x2, y1/y2 (and u, z) swapped, so no state moves are needed.
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $end)))
        (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (local.get $i)) (v128.load32_zero (i32.add (local.get $inL) (local.get $i))))))
        (local.set $v1 (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (i32.add (local.get $i) (i32.const 4))) (v128.load32_zero (i32.add (local.get $inL) (i32.add (local.get $i) (i32.const 4)))))))
        ;; A(f): result into y2, input into x2 (they become y1, x1 of frame f + 1)
        (local.set $y2 (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $ca)) (local.get $v)) (f64x2.mul (v128.load64_splat offset=8 (local.get $ca)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $ca)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $ca)) (local.get $y2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $ca)) (local.get $y1))))
        (local.set $x2 (local.get $v))
        ;; B(f − 1) from c
        (local.set $z2 (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $cb)) (local.get $c)) (f64x2.mul (v128.load64_splat offset=8 (local.get $cb)) (local.get $u1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $cb)) (local.get $u2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $cb)) (local.get $z2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $cb)) (local.get $z1))))
        (local.set $u2 (local.get $c))
        (local.set $c0 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $y2))))
        ;; A(f + 1) with roles swapped: result into y1, input into x1 (back to the canonical roles)
        (local.set $y1 (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $ca)) (local.get $v1)) (f64x2.mul (v128.load64_splat offset=8 (local.get $ca)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=16 (local.get $ca)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=32 (local.get $ca)) (local.get $y1))) (f64x2.mul (v128.load64_splat offset=24 (local.get $ca)) (local.get $y2))))
        (local.set $x1 (local.get $v1))
        ;; B(f) from c0, roles swapped
        (local.set $z1 (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $cb)) (local.get $c0)) (f64x2.mul (v128.load64_splat offset=8 (local.get $cb)) (local.get $u2))) (f64x2.mul (v128.load64_splat offset=16 (local.get $cb)) (local.get $u1))) (f64x2.mul (v128.load64_splat offset=32 (local.get $cb)) (local.get $z1))) (f64x2.mul (v128.load64_splat offset=24 (local.get $cb)) (local.get $z2))))
        (local.set $u1 (local.get $c0))
        (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $y1))))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $y2))))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $y1))))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $z2))))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $z1))))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $z2)))
        (v128.store32_lane 0 (i32.add (local.get $outL) (i32.sub (local.get $i) (i32.const 4))) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $outR) (i32.sub (local.get $i) (i32.const 4))) (local.get $d))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $z1)))
        (v128.store32_lane 0 (i32.add (local.get $outL) (local.get $i)) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $outR) (local.get $i)) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    ;; One frame left: A(f), B(f − 1).
    (if (i32.lt_u (local.get $i) (local.get $end))
      (then
        (local.set $v (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $inR) (local.get $i)) (v128.load32_zero (i32.add (local.get $inL) (local.get $i))))))
        (local.set $y (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $ca)) (local.get $v)) (f64x2.mul (v128.load64_splat offset=8 (local.get $ca)) (local.get $x1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $ca)) (local.get $x2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $ca)) (local.get $y2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $ca)) (local.get $y1))))
        (local.set $x2 (local.get $x1)) (local.set $x1 (local.get $v)) (local.set $y2 (local.get $y1)) (local.set $y1 (local.get $y))
        (local.set $z (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $cb)) (local.get $c)) (f64x2.mul (v128.load64_splat offset=8 (local.get $cb)) (local.get $u1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $cb)) (local.get $u2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $cb)) (local.get $z2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $cb)) (local.get $z1))))
        (local.set $u2 (local.get $u1)) (local.set $u1 (local.get $c)) (local.set $z2 (local.get $z1)) (local.set $z1 (local.get $z))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $y))))
        (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $z))))
        (local.set $d (f32x4.demote_f64x2_zero (local.get $z)))
        (v128.store32_lane 0 (i32.add (local.get $outL) (i32.sub (local.get $i) (i32.const 4))) (local.get $d))
        (v128.store32_lane 1 (i32.add (local.get $outR) (i32.sub (local.get $i) (i32.const 4))) (local.get $d))
        (local.set $c (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $y))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))))
    ;; The last frame through B.
    (local.set $z (f64x2.sub (f64x2.sub (f64x2.add (f64x2.add (f64x2.mul (v128.load64_splat (local.get $cb)) (local.get $c)) (f64x2.mul (v128.load64_splat offset=8 (local.get $cb)) (local.get $u1))) (f64x2.mul (v128.load64_splat offset=16 (local.get $cb)) (local.get $u2))) (f64x2.mul (v128.load64_splat offset=32 (local.get $cb)) (local.get $z2))) (f64x2.mul (v128.load64_splat offset=24 (local.get $cb)) (local.get $z1))))
    (local.set $u2 (local.get $u1)) (local.set $u1 (local.get $c)) (local.set $z2 (local.get $z1)) (local.set $z1 (local.get $z))
    (local.set $mn (f64x2.pmin (local.get $mn) (f64x2.abs (local.get $z))))
    (local.set $d (f32x4.demote_f64x2_zero (local.get $z)))
    (v128.store32_lane 0 (i32.add (local.get $outL) (i32.sub (local.get $end) (i32.const 4))) (local.get $d))
    (v128.store32_lane 1 (i32.add (local.get $outR) (i32.sub (local.get $end) (i32.const 4))) (local.get $d))
    ;; Some output at or below the denormal floor (or one exactly 0): redo with the per-sample flush.
    (if (v128.any_true (f64x2.lt (local.get $mn) (v128.const f64x2 1e-30 1e-30)))
      (then
        (call $cascadeExact (local.get $inL) (local.get $inR) (local.get $outL) (local.get $outR) (local.get $n)
          (local.get $ca) (local.get $sa) (local.get $cb) (local.get $sb))
        (return)))
    (v128.store (local.get $sa) (local.get $x1))
    (v128.store offset=16 (local.get $sa) (local.get $x2))
    (v128.store offset=32 (local.get $sa) (local.get $y1))
    (v128.store offset=48 (local.get $sa) (local.get $y2))
    (v128.store (local.get $sb) (local.get $u1))
    (v128.store offset=16 (local.get $sb) (local.get $u2))
    (v128.store offset=32 (local.get $sb) (local.get $z1))
    (v128.store offset=48 (local.get $sb) (local.get $z2)))

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
)
