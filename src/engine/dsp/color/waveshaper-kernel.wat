;; The waveshapers' 4x oversampling round trip (color/oversampling.ts, color/wide-pair.ts) on a PAIR of
;; channels at once: every signal is interleaved (frame j of the pair at byte 16·j, left lane 0, right
;; lane 1), so each f64x2 operation is the JS path's scalar operation on both channels, in the same
;; order (mul and add rounded separately): bit-identical to the per-channel JS path. A mono or odd
;; channel rides in lane 0 with a silent partner.
;;
;;   up(buf, coef, m, frames, out, round)   halfband 2x interpolator (resample/halfband.ts):
;;       buf = 2m + 1 history frames, then `frames` new ones; out[2i] = Σ_k c_k (buf[h + i − k] + buf[i + k]),
;;       out[2i + 1] = buf[h + i − m]; rounded to f32 if `round`; then the history slides.
;;   down(buf, taps, m, frames, out)        halfband 2x decimator: buf = 4m + 2 history frames, then
;;       `frames` (even) new; out[i] = 0.5·buf[n − 2m − 1] + Σ_k t_k (buf[n − 2k] + buf[2i + 2k]), n = h + 2i.
;;   fir(buf, taps, centre, frames, out)    the final symmetric FIR 2x -> 1x (decimator-kernel.wat's
;;       arithmetic: four partial sums over k mod 4, centre a multiple of 4): buf = 2·centre history
;;       frames, then 2·frames new; history slides.
;;   tanh(x, drive, post, frames)           x[4i + r] = f32(fastTanh(drive[i]·x[4i + r])·post[i]) in place
;;   tube(x, drive, frames, offset, scale)  x[4i + r] = f32((fastTanh(drive[i]·x[4i + r] + 0.3) − offset)·scale)
;;       (drive and post are f64 per base frame; fastTanh is shapers.ts's clamped [9/8] Padé.)
;;   load2(l, r, dst, frames)               planar f32 -> the pair's interleaved f64 input
;;   mix(wet, dry, line, index, latency, state, outL, outR, frames) -> index   saturation.ts's stereo output
;;       stage (DC blocker, dry delay, dry/wet), into planar f32
;; (Helpers such as fastTanh and the f32 rounding are written inline: V8 does not inline wasm calls. A v128.const
;; in a loop is rebuilt on every turn, so the curves' constants are mutable globals read into locals first,
;; and the four samples of a base frame are four independent chains in one turn.)
(module
  (memory (export "memory") 1)
  (global $CLO (mut v128) (v128.const f64x2 -6.297019181713 -6.297019181713))
  (global $CHI (mut v128) (v128.const f64x2 6.297019181713 6.297019181713))
  (global $N0 (mut v128) (v128.const f64x2 34459425 34459425))
  (global $N1 (mut v128) (v128.const f64x2 4729725 4729725))
  (global $N2 (mut v128) (v128.const f64x2 135135 135135))
  (global $N3 (mut v128) (v128.const f64x2 990 990))
  (global $D1 (mut v128) (v128.const f64x2 16216200 16216200))
  (global $D2 (mut v128) (v128.const f64x2 945945 945945))
  (global $D3 (mut v128) (v128.const f64x2 13860 13860))
  (global $D4 (mut v128) (v128.const f64x2 45 45))
  (global $BIAS (mut v128) (v128.const f64x2 0.3 0.3))
  (global $FLOOR (mut v128) (v128.const f64x2 1e-30 1e-30))

  ;; Moves `count` frames (16 bytes each) from `from` down to `to` (to <= from), ascending.
  (func $slide (param $to i32) (param $from i32) (param $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (v128.store (local.get $to) (v128.load (local.get $from)))
        (local.set $to (i32.add (local.get $to) (i32.const 16)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next))))

  (func (export "up") (param $buf i32) (param $coef i32) (param $m i32) (param $frames i32) (param $out i32) (param $round i32)
    (local $i i32) (local $k i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $h i32)
    (local $s v128) (local $d v128) (local $s1 v128) (local $d1 v128) (local $c v128)
    (local.set $h (i32.add (i32.shl (local.get $m) (i32.const 1)) (i32.const 1)))
    ;; Two outputs at a time (independent sums, each in its own order: the same results as one at a time).
    (block $done2
      (loop $next2
        (br_if $done2 (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $frames)))
        (local.set $pa (i32.add (local.get $buf) (i32.shl (i32.add (local.get $h) (local.get $i)) (i32.const 4))))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $pc (local.get $coef))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $taps2
          (local.set $c (v128.load64_splat (local.get $pc)))
          (local.set $s (f64x2.add (local.get $s)
            (f64x2.mul (local.get $c) (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
          (local.set $s1 (f64x2.add (local.get $s1)
            (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))))
          (local.set $pa (i32.sub (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $taps2 (i32.le_s (local.get $k) (local.get $m))))
        (local.set $pa (i32.add (local.get $buf)
          (i32.shl (i32.sub (i32.add (local.get $h) (local.get $i)) (local.get $m)) (i32.const 4))))
        (local.set $d (v128.load (local.get $pa)))
        (local.set $d1 (v128.load offset=16 (local.get $pa)))
        (if (local.get $round)
          (then
            (local.set $s (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
            (local.set $d (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $d))))
            (local.set $s1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s1))))
            (local.set $d1 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $d1))))))
        (local.set $pb (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 5))))
        (v128.store (local.get $pb) (local.get $s))
        (v128.store offset=16 (local.get $pb) (local.get $d))
        (v128.store offset=32 (local.get $pb) (local.get $s1))
        (v128.store offset=48 (local.get $pb) (local.get $d1))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        (local.set $pa (i32.add (local.get $buf) (i32.shl (i32.add (local.get $h) (local.get $i)) (i32.const 4))))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $pc (local.get $coef))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $taps
          (local.set $s (f64x2.add (local.get $s)
            (f64x2.mul (v128.load64_splat (local.get $pc)) (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
          (local.set $pa (i32.sub (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $taps (i32.le_s (local.get $k) (local.get $m))))
        (local.set $d (v128.load (i32.add (local.get $buf)
          (i32.shl (i32.sub (i32.add (local.get $h) (local.get $i)) (local.get $m)) (i32.const 4)))))
        (if (local.get $round)
          (then
            (local.set $s (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $s))))
            (local.set $d (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $d))))))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 5))) (local.get $s))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 5))) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $slide (local.get $buf) (i32.add (local.get $buf) (i32.shl (local.get $frames) (i32.const 4))) (local.get $h)))

  (func (export "down") (param $buf i32) (param $taps i32) (param $m i32) (param $frames i32) (param $out i32)
    (local $i i32) (local $k i32) (local $pa i32) (local $pb i32) (local $pc i32) (local $h i32) (local $outputs i32)
    (local $s v128)
    (local.set $h (i32.add (i32.shl (local.get $m) (i32.const 2)) (i32.const 2)))
    (local.set $outputs (i32.shr_u (local.get $frames) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $outputs)))
        ;; newest n = h + 2i, oldest 2i
        (local.set $pa (i32.add (local.get $buf) (i32.shl (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 1))) (i32.const 4))))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 5))))
        (local.set $pc (local.get $taps))
        (local.set $s (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $t
          (local.set $s (f64x2.add (local.get $s)
            (f64x2.mul (v128.load64_splat (local.get $pc)) (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
          (local.set $pa (i32.sub (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $t (i32.le_s (local.get $k) (local.get $m))))
        ;; 0.5·buf[n − 2m − 1] + s
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.add
            (f64x2.mul (v128.const f64x2 0.5 0.5)
              (v128.load (i32.add (local.get $buf) (i32.shl (i32.sub (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 1)))
                (i32.add (i32.shl (local.get $m) (i32.const 1)) (i32.const 1))) (i32.const 4)))))
            (local.get $s)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $slide (local.get $buf) (i32.add (local.get $buf) (i32.shl (local.get $frames) (i32.const 4))) (local.get $h)))

  (func (export "fir") (param $buf i32) (param $taps i32) (param $centre i32) (param $frames i32) (param $out i32)
    (local $i i32) (local $q i32) (local $pa i32) (local $pb i32) (local $pt i32) (local $n i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $mid v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $c v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $b4 v128) (local $b5 v128)
    (local.set $mid (v128.load64_splat (i32.add (local.get $taps) (i32.shl (local.get $centre) (i32.const 3)))))
    ;; Two outputs at a time (s for output i, t for i + 1: newest two frames later), each in the one-output
    ;; order. Per four taps, the twelve frames the two outputs read are loaded once (a: from the newest
    ;; down, addressed from 48 bytes below so that every offset is positive; b: from the oldest up).
    (block $done2
      (loop $next2
        (br_if $done2 (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $frames)))
        (local.set $n (i32.add (local.get $buf)
          (i32.shl (i32.add (i32.shl (local.get $centre) (i32.const 1)) (i32.shl (local.get $i) (i32.const 1))) (i32.const 4))))
        (local.set $pa (i32.sub (local.get $n) (i32.const 48)))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 5))))
        (local.set $pt (local.get $taps))
        (local.set $s0 (v128.const f64x2 0 0)) (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0)) (local.set $s3 (v128.const f64x2 0 0))
        (local.set $t0 (v128.const f64x2 0 0)) (local.set $t1 (v128.const f64x2 0 0))
        (local.set $t2 (v128.const f64x2 0 0)) (local.set $t3 (v128.const f64x2 0 0))
        (local.set $q (i32.shr_u (local.get $centre) (i32.const 2)))
        (block $kd2
          (loop $kl2
            (br_if $kd2 (i32.eqz (local.get $q)))
            (local.set $a0 (v128.load offset=80 (local.get $pa)))
            (local.set $a1 (v128.load offset=64 (local.get $pa)))
            (local.set $a2 (v128.load offset=48 (local.get $pa)))
            (local.set $a3 (v128.load offset=32 (local.get $pa)))
            (local.set $a4 (v128.load offset=16 (local.get $pa)))
            (local.set $a5 (v128.load (local.get $pa)))
            (local.set $b0 (v128.load (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $b2 (v128.load offset=32 (local.get $pb)))
            (local.set $b3 (v128.load offset=48 (local.get $pb)))
            (local.set $b4 (v128.load offset=64 (local.get $pb)))
            (local.set $b5 (v128.load offset=80 (local.get $pb)))
            (local.set $c (v128.load64_splat (local.get $pt)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $c) (f64x2.add (local.get $a2) (local.get $b0)))))
            (local.set $t0 (f64x2.add (local.get $t0) (f64x2.mul (local.get $c) (f64x2.add (local.get $a0) (local.get $b2)))))
            (local.set $c (v128.load64_splat offset=8 (local.get $pt)))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $c) (f64x2.add (local.get $a3) (local.get $b1)))))
            (local.set $t1 (f64x2.add (local.get $t1) (f64x2.mul (local.get $c) (f64x2.add (local.get $a1) (local.get $b3)))))
            (local.set $c (v128.load64_splat offset=16 (local.get $pt)))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $c) (f64x2.add (local.get $a4) (local.get $b2)))))
            (local.set $t2 (f64x2.add (local.get $t2) (f64x2.mul (local.get $c) (f64x2.add (local.get $a2) (local.get $b4)))))
            (local.set $c (v128.load64_splat offset=24 (local.get $pt)))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $c) (f64x2.add (local.get $a5) (local.get $b3)))))
            (local.set $t3 (f64x2.add (local.get $t3) (f64x2.mul (local.get $c) (f64x2.add (local.get $a3) (local.get $b5)))))
            (local.set $pa (i32.sub (local.get $pa) (i32.const 64)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br $kl2)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.add
            (f64x2.add (f64x2.add (local.get $s0) (local.get $s1)) (f64x2.add (local.get $s2) (local.get $s3)))
            (f64x2.mul (local.get $mid) (v128.load (i32.sub (local.get $n) (i32.shl (local.get $centre) (i32.const 4)))))))
        (v128.store offset=16 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.add
            (f64x2.add (f64x2.add (local.get $t0) (local.get $t1)) (f64x2.add (local.get $t2) (local.get $t3)))
            (f64x2.mul (local.get $mid) (v128.load offset=32 (i32.sub (local.get $n) (i32.shl (local.get $centre) (i32.const 4)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        ;; newest n = 2·centre + 2i (address), oldest f = 2i
        (local.set $n (i32.add (local.get $buf)
          (i32.shl (i32.add (i32.shl (local.get $centre) (i32.const 1)) (i32.shl (local.get $i) (i32.const 1))) (i32.const 4))))
        (local.set $pa (local.get $n))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $i) (i32.const 5))))
        (local.set $pt (local.get $taps))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0))
        (local.set $s3 (v128.const f64x2 0 0))
        (local.set $q (i32.shr_u (local.get $centre) (i32.const 2)))
        (block $kd
          (loop $kl
            (br_if $kd (i32.eqz (local.get $q)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (v128.load64_splat (local.get $pt))
              (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (v128.load64_splat offset=8 (local.get $pt))
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 16))) (v128.load offset=16 (local.get $pb))))))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (v128.load64_splat offset=16 (local.get $pt))
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 32))) (v128.load offset=32 (local.get $pb))))))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (v128.load64_splat offset=24 (local.get $pt))
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 48))) (v128.load offset=48 (local.get $pb))))))
            (local.set $pa (i32.sub (local.get $pa) (i32.const 64)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
            (local.set $pt (i32.add (local.get $pt) (i32.const 32)))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br $kl)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4)))
          (f64x2.add
            (f64x2.add (f64x2.add (local.get $s0) (local.get $s1)) (f64x2.add (local.get $s2) (local.get $s3)))
            (f64x2.mul (local.get $mid) (v128.load (i32.sub (local.get $n) (i32.shl (local.get $centre) (i32.const 4)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $slide (local.get $buf) (i32.add (local.get $buf) (i32.shl (local.get $frames) (i32.const 5)))
      (i32.shl (local.get $centre) (i32.const 1))))

  (func (export "tanh") (param $x i32) (param $drive i32) (param $post i32) (param $frames i32)
    (local $d v128) (local $p v128) (local $cA v128) (local $qA v128) (local $tA v128) (local $cB v128) (local $qB v128) (local $tB v128) (local $cC v128) (local $qC v128) (local $tC v128) (local $cD v128) (local $qD v128) (local $tD v128)
    (local $cCLO v128) (local $cCHI v128) (local $cN0 v128) (local $cN1 v128) (local $cN2 v128) (local $cN3 v128) (local $cD1 v128) (local $cD2 v128) (local $cD3 v128) (local $cD4 v128)
    (local.set $cCLO (global.get $CLO))
    (local.set $cCHI (global.get $CHI))
    (local.set $cN0 (global.get $N0))
    (local.set $cN1 (global.get $N1))
    (local.set $cN2 (global.get $N2))
    (local.set $cN3 (global.get $N3))
    (local.set $cD1 (global.get $D1))
    (local.set $cD2 (global.get $D2))
    (local.set $cD3 (global.get $D3))
    (local.set $cD4 (global.get $D4))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $frames)))
        (local.set $d (v128.load64_splat (local.get $drive)))
        (local.set $p (v128.load64_splat (local.get $post)))
        (local.set $cA (f64x2.min (f64x2.max (f64x2.mul (local.get $d) (v128.load (local.get $x))) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qA (f64x2.mul (local.get $cA) (local.get $cA)))
        (local.set $tA (f64x2.div
          (f64x2.mul (local.get $cA) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qA)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cN3) (local.get $qA)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qA)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qA)))))))))))
        (local.set $cB (f64x2.min (f64x2.max (f64x2.mul (local.get $d) (v128.load offset=16 (local.get $x))) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qB (f64x2.mul (local.get $cB) (local.get $cB)))
        (local.set $tB (f64x2.div
          (f64x2.mul (local.get $cB) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qB)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cN3) (local.get $qB)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qB)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qB)))))))))))
        (local.set $cC (f64x2.min (f64x2.max (f64x2.mul (local.get $d) (v128.load offset=32 (local.get $x))) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qC (f64x2.mul (local.get $cC) (local.get $cC)))
        (local.set $tC (f64x2.div
          (f64x2.mul (local.get $cC) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qC)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cN3) (local.get $qC)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qC)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qC)))))))))))
        (local.set $cD (f64x2.min (f64x2.max (f64x2.mul (local.get $d) (v128.load offset=48 (local.get $x))) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qD (f64x2.mul (local.get $cD) (local.get $cD)))
        (local.set $tD (f64x2.div
          (f64x2.mul (local.get $cD) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qD)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cN3) (local.get $qD)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qD)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qD)))))))))))
        (v128.store (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $tA) (local.get $p)))))
        (v128.store offset=16 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $tB) (local.get $p)))))
        (v128.store offset=32 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $tC) (local.get $p)))))
        (v128.store offset=48 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $tD) (local.get $p)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $drive (i32.add (local.get $drive) (i32.const 8)))
        (local.set $post (i32.add (local.get $post) (i32.const 8)))
        (local.set $frames (i32.sub (local.get $frames) (i32.const 1)))
        (br $next))))

  (func (export "tube") (param $x i32) (param $drive i32) (param $frames i32) (param $offset f64) (param $scale f64)
    (local $d v128) (local $o v128) (local $s v128) (local $cA v128) (local $qA v128) (local $tA v128) (local $cB v128) (local $qB v128) (local $tB v128) (local $cC v128) (local $qC v128) (local $tC v128) (local $cD v128) (local $qD v128) (local $tD v128)
    (local $cCLO v128) (local $cCHI v128) (local $cN0 v128) (local $cN1 v128) (local $cN2 v128) (local $cN3 v128) (local $cD1 v128) (local $cD2 v128) (local $cD3 v128) (local $cD4 v128) (local $cBIAS v128)
    (local.set $cCLO (global.get $CLO))
    (local.set $cCHI (global.get $CHI))
    (local.set $cN0 (global.get $N0))
    (local.set $cN1 (global.get $N1))
    (local.set $cN2 (global.get $N2))
    (local.set $cN3 (global.get $N3))
    (local.set $cD1 (global.get $D1))
    (local.set $cD2 (global.get $D2))
    (local.set $cD3 (global.get $D3))
    (local.set $cD4 (global.get $D4))
    (local.set $cBIAS (global.get $BIAS))
    (local.set $o (f64x2.splat (local.get $offset)))
    (local.set $s (f64x2.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $frames)))
        (local.set $d (v128.load64_splat (local.get $drive)))
        (local.set $cA (f64x2.min (f64x2.max (f64x2.add (f64x2.mul (local.get $d) (v128.load (local.get $x))) (local.get $cBIAS)) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qA (f64x2.mul (local.get $cA) (local.get $cA)))
        (local.set $tA (f64x2.div
          (f64x2.mul (local.get $cA) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qA)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cN3) (local.get $qA)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qA)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qA) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qA)))))))))))
        (local.set $cB (f64x2.min (f64x2.max (f64x2.add (f64x2.mul (local.get $d) (v128.load offset=16 (local.get $x))) (local.get $cBIAS)) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qB (f64x2.mul (local.get $cB) (local.get $cB)))
        (local.set $tB (f64x2.div
          (f64x2.mul (local.get $cB) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qB)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cN3) (local.get $qB)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qB)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qB) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qB)))))))))))
        (local.set $cC (f64x2.min (f64x2.max (f64x2.add (f64x2.mul (local.get $d) (v128.load offset=32 (local.get $x))) (local.get $cBIAS)) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qC (f64x2.mul (local.get $cC) (local.get $cC)))
        (local.set $tC (f64x2.div
          (f64x2.mul (local.get $cC) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qC)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cN3) (local.get $qC)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qC)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qC) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qC)))))))))))
        (local.set $cD (f64x2.min (f64x2.max (f64x2.add (f64x2.mul (local.get $d) (v128.load offset=48 (local.get $x))) (local.get $cBIAS)) (local.get $cCLO)) (local.get $cCHI)))
        (local.set $qD (f64x2.mul (local.get $cD) (local.get $cD)))
        (local.set $tD (f64x2.div
          (f64x2.mul (local.get $cD) (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cN1) (f64x2.mul (local.get $qD)
            (f64x2.add (local.get $cN2) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cN3) (local.get $qD)))))))))
          (f64x2.add (local.get $cN0) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cD1) (f64x2.mul (local.get $qD)
            (f64x2.add (local.get $cD2) (f64x2.mul (local.get $qD) (f64x2.add (local.get $cD3) (f64x2.mul (local.get $cD4) (local.get $qD)))))))))))
        (v128.store (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.sub (local.get $tA) (local.get $o)) (local.get $s)))))
        (v128.store offset=16 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.sub (local.get $tB) (local.get $o)) (local.get $s)))))
        (v128.store offset=32 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.sub (local.get $tC) (local.get $o)) (local.get $s)))))
        (v128.store offset=48 (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.sub (local.get $tD) (local.get $o)) (local.get $s)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $drive (i32.add (local.get $drive) (i32.const 8)))
        (local.set $frames (i32.sub (local.get $frames) (i32.const 1)))
        (br $next))))

  ;; load2(l, r, dst, frames): f32 planar l, r -> interleaved f64 frames at dst (the pair's input).
  (func (export "load2") (param $l i32) (param $r i32) (param $dst i32) (param $frames i32)
    (local $i i32) (local $v v128)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $frames)))
        (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
          (v128.load64_zero (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 2))))
          (v128.load64_zero (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2))))))
        (v128.store (local.get $dst) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $dst) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    (if (i32.lt_u (local.get $i) (local.get $frames))
      (then (v128.store (local.get $dst) (f64x2.promote_low_f32x4
        (v128.load32_lane 1 (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 2)))
          (v128.load32_zero (i32.add (local.get $l) (i32.shl (local.get $i) (i32.const 2))))))))))

  ;; mix(wet, dry, line, index, latency, state, outL, outR, frames) -> index: saturation.ts's settled stereo
  ;; output loop (mixStereoLoop) on interleaved frames: the DC blocker on the wet signal, the dry signal
  ;; through its delay line (interleaved f64, `latency` frames, next write at `index`), the dry/wet sum into
  ;; planar f32 outL, outR. state: [0] the DC blockers' levels (f64x2, updated), then f64 dc coefficient (16),
  ;; gain (24), mix (32), tube (40), 1 − mix (48).
  (func (export "mix") (param $wet i32) (param $dry i32) (param $line i32) (param $index i32) (param $latency i32) (param $state i32)
    (param $outL i32) (param $outR i32) (param $frames i32) (result i32)
    (local $i i32) (local $at i32) (local $a v128) (local $v v128) (local $next v128) (local $m v128) (local $sh v128) (local $delayed v128) (local $o v128)
    (local $dc v128) (local $gain v128) (local $mix v128) (local $tube v128) (local $dryGain v128) (local $floor v128)
    (local.set $a (v128.load (local.get $state)))
    (local.set $dc (v128.load64_splat offset=16 (local.get $state)))
    (local.set $gain (v128.load64_splat offset=24 (local.get $state)))
    (local.set $mix (v128.load64_splat offset=32 (local.get $state)))
    (local.set $tube (v128.load64_splat offset=40 (local.get $state)))
    (local.set $dryGain (v128.load64_splat offset=48 (local.get $state)))
    (local.set $floor (global.get $FLOOR))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        (local.set $v (v128.load (i32.add (local.get $wet) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $next (f64x2.add (local.get $a) (f64x2.mul (local.get $dc) (f64x2.sub (local.get $v) (local.get $a)))))
        ;; level = |next| > floor ? next : 0 (a branch: it almost never flushes)
        (local.set $m (f64x2.gt (f64x2.abs (local.get $next)) (local.get $floor)))
        (local.set $a (local.get $next))
        (if (i32.eqz (i64x2.all_true (local.get $m))) (then (local.set $a (v128.and (local.get $next) (local.get $m)))))
        (local.set $at (i32.add (local.get $line) (i32.shl (local.get $index) (i32.const 4))))
        (local.set $delayed (v128.load (local.get $at)))
        (v128.store (local.get $at) (v128.load (i32.add (local.get $dry) (i32.shl (local.get $i) (i32.const 4)))))
        (local.set $sh (f64x2.mul (f64x2.mul (f64x2.sub (local.get $v) (f64x2.mul (local.get $next) (local.get $tube))) (local.get $gain)) (local.get $mix)))
        (local.set $sh (v128.and (local.get $sh) (f64x2.gt (f64x2.abs (local.get $sh)) (local.get $floor))))
        (local.set $o (f32x4.demote_f64x2_zero (f64x2.add (f64x2.mul (local.get $delayed) (local.get $dryGain)) (local.get $sh))))
        (v128.store32_lane 0 (i32.add (local.get $outL) (i32.shl (local.get $i) (i32.const 2))) (local.get $o))
        (v128.store32_lane 1 (i32.add (local.get $outR) (i32.shl (local.get $i) (i32.const 2))) (local.get $o))
        (local.set $index (i32.add (local.get $index) (i32.const 1)))
        (if (i32.eq (local.get $index) (local.get $latency)) (then (local.set $index (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (v128.store (local.get $state) (local.get $a))
    (local.get $index))
)
