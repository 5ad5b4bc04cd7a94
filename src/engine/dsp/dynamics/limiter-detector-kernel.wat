;; The limiter's true-peak detector core (dynamics/limiter-detector.ts), WebAssembly SIMD, f64.
;; Source of limiter-detector-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; up: the halfband 2x interpolator, a copy of resample/halfband-kernel.wat (see there); the detector
;; runs its two 4x stages here, stage 1 writing straight into stage 2's input.
;; refine(wide, total, lead, state, out): for the 4x points v_j = |fround(wide[j])| (the f32 rounding of
;; the oversampler's output), e_j = the parabola-refined value at point j - 1 (refine(v_{j-2}, v_{j-1},
;; v_j), state holds v_{-2}, v_{-1} and is updated), and out receives the max of e_j over the groups
;; j in [0, lead) (if lead > 0), [lead + 4g, lead + 4g + 4), then the rest: the JS path's arithmetic,
;; operation for operation, so the results are bit-identical to it.
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
        (br $next))))
  (func (export "refine") (param $wide i32) (param $total i32) (param $lead i32) (param $state i32) (param $out i32)
    (local $j i32) (local $p2 f64) (local $p1 f64) (local $v f64) (local $v0 f64) (local $v1 f64) (local $v2 f64) (local $v3 f64)
    (local $e f64) (local $e0 f64) (local $e1 f64) (local $e2 f64) (local $e3 f64) (local $run f64) (local $cv f64) (local $t f64)
    (local $p i32) (local $end i32)
    (local.set $p2 (f64.load (local.get $state)))
    (local.set $p1 (f64.load offset=8 (local.get $state)))
    (local.set $p (local.get $wide))
    ;; lead points
    (if (i32.gt_s (local.get $lead) (i32.const 0))
      (then
        (local.set $run (f64.const 0))
        (local.set $end (i32.add (local.get $wide) (i32.shl (local.get $lead) (i32.const 3))))
        (block $ld (loop $ll
          (br_if $ld (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $v (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load (local.get $p))))))
        (if (i32.or (f64.lt (local.get $p1) (local.get $p2)) (f64.lt (local.get $p1) (local.get $v)))
          (then (local.set $e (local.get $p1)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $p1) (local.get $p1)) (local.get $p2)) (local.get $v)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $p2) (local.get $v)))
                (local.set $e (f64.add (local.get $p1) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e (local.get $p1))))))
          (local.set $run (f64.max (local.get $run) (local.get $e)))
          (local.set $p2 (local.get $p1))
          (local.set $p1 (local.get $v))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $ll)))
        (f64.store (local.get $out) (local.get $run))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))))
    ;; whole groups of 4
    (local.set $end (i32.add (local.get $wide) (i32.shl (local.get $total) (i32.const 3))))
    (block $gd (loop $gl
      (br_if $gd (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))
      (local.set $v0 (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load (local.get $p))))))
      (local.set $v1 (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load offset=8 (local.get $p))))))
      (local.set $v2 (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load offset=16 (local.get $p))))))
      (local.set $v3 (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load offset=24 (local.get $p))))))
        (if (i32.or (f64.lt (local.get $p1) (local.get $p2)) (f64.lt (local.get $p1) (local.get $v0)))
          (then (local.set $e0 (local.get $p1)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $p1) (local.get $p1)) (local.get $p2)) (local.get $v0)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $p2) (local.get $v0)))
                (local.set $e0 (f64.add (local.get $p1) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e0 (local.get $p1))))))
        (if (i32.or (f64.lt (local.get $v0) (local.get $p1)) (f64.lt (local.get $v0) (local.get $v1)))
          (then (local.set $e1 (local.get $v0)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $v0) (local.get $v0)) (local.get $p1)) (local.get $v1)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $p1) (local.get $v1)))
                (local.set $e1 (f64.add (local.get $v0) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e1 (local.get $v0))))))
        (if (i32.or (f64.lt (local.get $v1) (local.get $v0)) (f64.lt (local.get $v1) (local.get $v2)))
          (then (local.set $e2 (local.get $v1)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $v1) (local.get $v1)) (local.get $v0)) (local.get $v2)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $v0) (local.get $v2)))
                (local.set $e2 (f64.add (local.get $v1) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e2 (local.get $v1))))))
        (if (i32.or (f64.lt (local.get $v2) (local.get $v1)) (f64.lt (local.get $v2) (local.get $v3)))
          (then (local.set $e3 (local.get $v2)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $v2) (local.get $v2)) (local.get $v1)) (local.get $v3)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $v1) (local.get $v3)))
                (local.set $e3 (f64.add (local.get $v2) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e3 (local.get $v2))))))
      (f64.store (local.get $out) (f64.max (f64.max (local.get $e0) (local.get $e1)) (f64.max (local.get $e2) (local.get $e3))))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (local.set $p2 (local.get $v2))
      (local.set $p1 (local.get $v3))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (br $gl)))
    ;; the rest
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $run (f64.const 0))
        (block $td (loop $tl
          (br_if $td (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $v (f64.abs (f64.promote_f32 (f32.demote_f64 (f64.load (local.get $p))))))
        (if (i32.or (f64.lt (local.get $p1) (local.get $p2)) (f64.lt (local.get $p1) (local.get $v)))
          (then (local.set $e (local.get $p1)))
          (else
            (local.set $cv (f64.sub (f64.sub (f64.add (local.get $p1) (local.get $p1)) (local.get $p2)) (local.get $v)))
            (if (f64.gt (local.get $cv) (f64.const 0))
              (then
                (local.set $t (f64.sub (local.get $p2) (local.get $v)))
                (local.set $e (f64.add (local.get $p1) (f64.div (f64.mul (local.get $t) (local.get $t)) (f64.mul (f64.const 8) (local.get $cv))))))
              (else (local.set $e (local.get $p1))))))
          (local.set $run (f64.max (local.get $run) (local.get $e)))
          (local.set $p2 (local.get $p1))
          (local.set $p1 (local.get $v))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $tl)))
        (f64.store (local.get $out) (local.get $run))))
    (f64.store (local.get $state) (local.get $p2))
    (f64.store offset=8 (local.get $state) (local.get $p1))))
