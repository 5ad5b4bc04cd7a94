;; The sample-domain reductions of SignalStats (signal-stats.ts) in WebAssembly SIMD: per channel the
;; peak |x|, sum of x^2 and sum of x (f64), and the cross sum of x0 * x1.
;;
;; Source of src/engine/analysis/signal-stats-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;; channel(xAt, n, outAt): f32 samples at xAt; out[0] = max |x| (NaN ignored, as the JS path), out[1] =
;; sum x^2, out[2] = sum x, in four interleaved partial sums (samples 4j .. 4j + 3 in the lanes of two
;; f64x2) added at the end: the same sums as a sequential loop to within rounding (~1e-16 relative).
;; cross(aAt, bAt, n) returns sum a * b the same way. n may be any count (a scalar tail).
(module
  (memory (export "memory") 1)

  (func (export "channel") (param $xAt i32) (param $n i32) (param $outAt i32)
    (local $p i32) (local $end4 i32) (local $end i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local $peak v128) (local $sq0 v128) (local $sq1 v128) (local $sum0 v128) (local $sum1 v128)
    (local $s f32) (local $m f32) (local $tail f64) (local $tailSq f64) (local $d f64)
    (local.set $p (local.get $xAt))
    (local.set $end (i32.add (local.get $xAt) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $xAt) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $p) (local.get $end4)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $peak (f32x4.pmax (local.get $peak) (f32x4.abs (local.get $v))))
        (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $sq0 (f64x2.add (local.get $sq0) (f64x2.mul (local.get $lo) (local.get $lo))))
        (local.set $sq1 (f64x2.add (local.get $sq1) (f64x2.mul (local.get $hi) (local.get $hi))))
        (local.set $sum0 (f64x2.add (local.get $sum0) (local.get $lo)))
        (local.set $sum1 (f64x2.add (local.get $sum1) (local.get $hi)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next4)))
    ;; Horizontal peak (lanes hold no NaN).
    (local.set $peak (f32x4.pmax (local.get $peak) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $peak) (local.get $peak))))
    (local.set $peak (f32x4.pmax (local.get $peak) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $peak) (local.get $peak))))
    (local.set $m (f32x4.extract_lane 0 (local.get $peak)))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $s (f32.load (local.get $p)))
        (if (f32.gt (f32.abs (local.get $s)) (local.get $m)) (then (local.set $m (f32.abs (local.get $s)))))
        (local.set $d (f64.promote_f32 (local.get $s)))
        (local.set $tailSq (f64.add (local.get $tailSq) (f64.mul (local.get $d) (local.get $d))))
        (local.set $tail (f64.add (local.get $tail) (local.get $d)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next1)))
    (f64.store offset=0 (local.get $outAt) (f64.promote_f32 (local.get $m)))
    (local.set $sq0 (f64x2.add (local.get $sq0) (local.get $sq1)))
    (f64.store offset=8 (local.get $outAt)
      (f64.add (f64.add (f64x2.extract_lane 0 (local.get $sq0)) (f64x2.extract_lane 1 (local.get $sq0))) (local.get $tailSq)))
    (local.set $sum0 (f64x2.add (local.get $sum0) (local.get $sum1)))
    (f64.store offset=16 (local.get $outAt)
      (f64.add (f64.add (f64x2.extract_lane 0 (local.get $sum0)) (f64x2.extract_lane 1 (local.get $sum0))) (local.get $tail))))

  (func (export "cross") (param $aAt i32) (param $bAt i32) (param $n i32) (result f64)
    (local $p i32) (local $q i32) (local $end4 i32) (local $end i32) (local $a v128) (local $b v128)
    (local $c0 v128) (local $c1 v128) (local $tail f64)
    (local.set $p (local.get $aAt))
    (local.set $q (local.get $bAt))
    (local.set $end (i32.add (local.get $aAt) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $aAt) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done4
      (loop $next4
        (br_if $done4 (i32.ge_u (local.get $p) (local.get $end4)))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load (local.get $q)))
        (local.set $c0 (f64x2.add (local.get $c0)
          (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $b)))))
        (local.set $c1 (f64x2.add (local.get $c1)
          (f64x2.mul
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a)))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $next4)))
    (block $done1
      (loop $next1
        (br_if $done1 (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $tail (f64.add (local.get $tail)
          (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (f64.promote_f32 (f32.load (local.get $q))))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $next1)))
    (local.set $c0 (f64x2.add (local.get $c0) (local.get $c1)))
    (f64.add (f64.add (f64x2.extract_lane 0 (local.get $c0)) (f64x2.extract_lane 1 (local.get $c0))) (local.get $tail))))
