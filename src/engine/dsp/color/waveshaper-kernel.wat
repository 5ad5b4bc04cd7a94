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
;; (Helpers such as fastTanh and the f32 rounding are written inline: V8 does not inline wasm calls.)
(module
  (memory (export "memory") 1)

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
    (local.set $mid (v128.load64_splat (i32.add (local.get $taps) (i32.shl (local.get $centre) (i32.const 3)))))
    ;; Two outputs at a time (s for output i, t for i + 1: newest two frames later), each in the one-output order.
    (block $done2
      (loop $next2
        (br_if $done2 (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $frames)))
        (local.set $n (i32.add (local.get $buf)
          (i32.shl (i32.add (i32.shl (local.get $centre) (i32.const 1)) (i32.shl (local.get $i) (i32.const 1))) (i32.const 4))))
        (local.set $pa (local.get $n))
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
            (local.set $c (v128.load64_splat (local.get $pt)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))))
            (local.set $t0 (f64x2.add (local.get $t0) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))))))
            (local.set $c (v128.load64_splat offset=8 (local.get $pt)))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 16))) (v128.load offset=16 (local.get $pb))))))
            (local.set $t1 (f64x2.add (local.get $t1) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load offset=16 (local.get $pa)) (v128.load offset=48 (local.get $pb))))))
            (local.set $c (v128.load64_splat offset=16 (local.get $pt)))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 32))) (v128.load offset=32 (local.get $pb))))))
            (local.set $t2 (f64x2.add (local.get $t2) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (local.get $pa)) (v128.load offset=64 (local.get $pb))))))
            (local.set $c (v128.load64_splat offset=24 (local.get $pt)))
            (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 48))) (v128.load offset=48 (local.get $pb))))))
            (local.set $t3 (f64x2.add (local.get $t3) (f64x2.mul (local.get $c)
              (f64x2.add (v128.load (i32.sub (local.get $pa) (i32.const 16))) (v128.load offset=80 (local.get $pb))))))
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
    (local $d v128) (local $p v128) (local $r i32) (local $tx v128) (local $tv v128) (local $c v128) (local $c2 v128)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $frames)))
        (local.set $d (v128.load64_splat (local.get $drive)))
        (local.set $p (v128.load64_splat (local.get $post)))
        (local.set $r (i32.const 4))
        (loop $four
          (local.set $tx (f64x2.mul (local.get $d) (v128.load (local.get $x))))
          ;; fastTanh (shapers.ts)
          (local.set $c (f64x2.min (f64x2.max (local.get $tx) (v128.const f64x2 -6.297019181713 -6.297019181713))
            (v128.const f64x2 6.297019181713 6.297019181713)))
          (local.set $c2 (f64x2.mul (local.get $c) (local.get $c)))
          (local.set $tv (f64x2.div
            (f64x2.mul (local.get $c)
            (f64x2.add (v128.const f64x2 34459425 34459425) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 4729725 4729725) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 135135 135135) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 990 990) (local.get $c2)))))))))
            (f64x2.add (v128.const f64x2 34459425 34459425) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 16216200 16216200) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 945945 945945) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 13860 13860) (f64x2.mul (v128.const f64x2 45 45) (local.get $c2)))))))))))
          (v128.store (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (f64x2.mul (local.get $tv) (local.get $p)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $r (i32.sub (local.get $r) (i32.const 1)))
          (br_if $four (local.get $r)))
        (local.set $drive (i32.add (local.get $drive) (i32.const 8)))
        (local.set $post (i32.add (local.get $post) (i32.const 8)))
        (local.set $frames (i32.sub (local.get $frames) (i32.const 1)))
        (br $next))))

  (func (export "tube") (param $x i32) (param $drive i32) (param $frames i32) (param $offset f64) (param $scale f64)
    (local $d v128) (local $o v128) (local $s v128) (local $r i32) (local $tx v128) (local $tv v128) (local $c v128) (local $c2 v128)
    (local.set $o (f64x2.splat (local.get $offset)))
    (local.set $s (f64x2.splat (local.get $scale)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $frames)))
        (local.set $d (v128.load64_splat (local.get $drive)))
        (local.set $r (i32.const 4))
        (loop $four
          (local.set $tx (f64x2.add (f64x2.mul (local.get $d) (v128.load (local.get $x))) (v128.const f64x2 0.3 0.3)))
          ;; fastTanh (shapers.ts)
          (local.set $c (f64x2.min (f64x2.max (local.get $tx) (v128.const f64x2 -6.297019181713 -6.297019181713))
            (v128.const f64x2 6.297019181713 6.297019181713)))
          (local.set $c2 (f64x2.mul (local.get $c) (local.get $c)))
          (local.set $tv (f64x2.div
            (f64x2.mul (local.get $c)
            (f64x2.add (v128.const f64x2 34459425 34459425) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 4729725 4729725) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 135135 135135) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 990 990) (local.get $c2)))))))))
            (f64x2.add (v128.const f64x2 34459425 34459425) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 16216200 16216200) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 945945 945945) (f64x2.mul (local.get $c2)
            (f64x2.add (v128.const f64x2 13860 13860) (f64x2.mul (v128.const f64x2 45 45) (local.get $c2)))))))))))
          (v128.store (local.get $x) (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
            (f64x2.mul (f64x2.sub (local.get $tv) (local.get $o)) (local.get $s)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $r (i32.sub (local.get $r) (i32.const 1)))
          (br_if $four (local.get $r)))
        (local.set $drive (i32.add (local.get $drive) (i32.const 8)))
        (local.set $frames (i32.sub (local.get $frames) (i32.const 1)))
        (br $next)))))
