;; BS.1770 K-weighting of a stereo pair with the sum of squares of its output (k-weighting.ts,
;; kWeightSumOfSquares) in WebAssembly SIMD: left in lane 0, right in lane 1, each lane doing exactly the
;; JS path's f64 operations in the same order, so sums and filter states are bit-identical to it; the
;; two channels' recursions share one dependency chain instead of running one after the other.
;; Source of k-weighting-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; Memory (byte offsets, f64x2 = [left, right]):
;;    0 sums f64x2 (accumulated; the caller reads and clears them)
;;   16 x1, 32 x2, 48 y1, 64 y2, 80 w1, 96 w2 (filter state f64x2)
;;  112 b0, 128 b1, 144 b2, 160 a1, 176 a2 (shelf), 192 c1, 208 c2 (high-pass a1, a2), each both lanes
;;  256 left f32[capacity], then right f32[capacity] at 256 + 4 capacity
;; run(from, to, capacity): frames [from, to) of the loaded chunk, per lane:
;;   y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2 ; w = y - 2 y1 + y2 - c1 w1 - c2 w2 ; sum += w w
(module
  (memory (export "memory") 1)

  (func (export "run") (param $from i32) (param $to i32) (param $capacity i32)
    (local $i i32) (local $right i32)
    (local $x v128) (local $x1 v128) (local $x2 v128) (local $y v128) (local $y1 v128) (local $y2 v128)
    (local $w v128) (local $w1 v128) (local $w2 v128) (local $sum v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $a1 v128) (local $a2 v128) (local $c1 v128) (local $c2 v128)
    (local.set $sum (v128.load (i32.const 0)))
    (local.set $x1 (v128.load (i32.const 16)))
    (local.set $x2 (v128.load (i32.const 32)))
    (local.set $y1 (v128.load (i32.const 48)))
    (local.set $y2 (v128.load (i32.const 64)))
    (local.set $w1 (v128.load (i32.const 80)))
    (local.set $w2 (v128.load (i32.const 96)))
    (local.set $b0 (v128.load (i32.const 112)))
    (local.set $b1 (v128.load (i32.const 128)))
    (local.set $b2 (v128.load (i32.const 144)))
    (local.set $a1 (v128.load (i32.const 160)))
    (local.set $a2 (v128.load (i32.const 176)))
    (local.set $c1 (v128.load (i32.const 192)))
    (local.set $c2 (v128.load (i32.const 208)))
    (local.set $right (i32.shl (local.get $capacity) (i32.const 2)))
    (local.set $i (i32.add (i32.const 256) (i32.shl (local.get $from) (i32.const 2))))
    (local.set $to (i32.add (i32.const 256) (i32.shl (local.get $to) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        (local.set $x (f64x2.replace_lane 1
          (f64x2.splat (f64.promote_f32 (f32.load (local.get $i))))
          (f64.promote_f32 (f32.load (i32.add (local.get $i) (local.get $right))))))
        ;; y = (((b0 x + b1 x1) + b2 x2) - a1 y1) - a2 y2
        (local.set $y (f64x2.sub (f64x2.sub
          (f64x2.add (f64x2.add (f64x2.mul (local.get $b0) (local.get $x)) (f64x2.mul (local.get $b1) (local.get $x1)))
            (f64x2.mul (local.get $b2) (local.get $x2)))
          (f64x2.mul (local.get $a1) (local.get $y1)))
          (f64x2.mul (local.get $a2) (local.get $y2))))
        ;; w = (((y - 2 y1) + y2) - c1 w1) - c2 w2
        (local.set $w (f64x2.sub (f64x2.sub
          (f64x2.add (f64x2.sub (local.get $y) (f64x2.mul (v128.const f64x2 2 2) (local.get $y1))) (local.get $y2))
          (f64x2.mul (local.get $c1) (local.get $w1)))
          (f64x2.mul (local.get $c2) (local.get $w2))))
        (local.set $x2 (local.get $x1))
        (local.set $x1 (local.get $x))
        (local.set $y2 (local.get $y1))
        (local.set $y1 (local.get $y))
        (local.set $w2 (local.get $w1))
        (local.set $w1 (local.get $w))
        (local.set $sum (f64x2.add (local.get $sum) (f64x2.mul (local.get $w) (local.get $w))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (v128.store (i32.const 0) (local.get $sum))
    (v128.store (i32.const 16) (local.get $x1))
    (v128.store (i32.const 32) (local.get $x2))
    (v128.store (i32.const 48) (local.get $y1))
    (v128.store (i32.const 64) (local.get $y2))
    (v128.store (i32.const 80) (local.get $w1))
    (v128.store (i32.const 96) (local.get $w2))))
