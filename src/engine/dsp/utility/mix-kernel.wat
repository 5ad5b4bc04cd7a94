;; Sends and sums of stereo f32 buffers in an imported memory (utility/heap-chain.ts), two frames per f64x2:
;;   addScaled(srcL, srcR, dstL, dstR, n, gain): dst[i] = f32(dst[i] + gain·src[i]) for both channels, the
;;     arithmetic of the JS loop `y[i] += gain * x[i]` on Float32Arrays (products and sums in f64, then rounded).
(module
  (import "env" "memory" (memory 1))

  (func (export "addScaled") (param $srcL i32) (param $srcR i32) (param $dstL i32) (param $dstR i32) (param $n i32) (param $gain f64)
    (local $g v128) (local $i i32) (local $c i32) (local $s i32) (local $d i32) (local $at i32)
    (local.set $g (f64x2.splat (local.get $gain)))
    (block $channels
      (loop $channel
        (br_if $channels (i32.ge_u (local.get $c) (i32.const 2)))
        (local.set $s (select (local.get $srcR) (local.get $srcL) (local.get $c)))
        (local.set $d (select (local.get $dstR) (local.get $dstL) (local.get $c)))
        (local.set $i (i32.const 0))
        ;; Four frames per turn, then pairs, then an odd last one.
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (v128.store64_lane 0 (i32.add (local.get $d) (local.get $at)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $d) (local.get $at))))
              (f64x2.mul (local.get $g) (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $s) (local.get $at))))))))
            (v128.store64_lane offset=8 0 (i32.add (local.get $d) (local.get $at)) (f32x4.demote_f64x2_zero (f64x2.add
              (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $d) (local.get $at))))
              (f64x2.mul (local.get $g) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (i32.add (local.get $s) (local.get $at))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (f32.store (i32.add (local.get $d) (local.get $at)) (f32.demote_f64 (f64.add
              (f64.promote_f32 (f32.load (i32.add (local.get $d) (local.get $at))))
              (f64.mul (local.get $gain) (f64.promote_f32 (f32.load (i32.add (local.get $s) (local.get $at))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channel))))
)
