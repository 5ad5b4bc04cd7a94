;; The FLAC encoder's two sample loops for LPC (flac-encode.ts), WebAssembly SIMD, f64: the windowed
;; autocorrelation up to lag 8 and the residual of an order <= 8 predictor with its partition sums.
;;
;; Source of src/io/flac-lpc-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs` (the wrapper is
;; flac-lpc-kernel.ts, the reference JS paths are autocorrelate and lpcResidual in flac-encode.ts).
;;
;; autocorr(xAt, wAt, yAt, n, rAt): y[i] = x[i] * w[i] (x i32, w f64) into yAt, whose 10 f64 before it
;; hold -0 (the JS path's history before the first sample); then R[k] = sum over i of y[i] * y[i-k],
;; k = 0..8, each lag accumulated over i in order as the JS path does (lanes (R[k+1], R[k]) of one
;; vector: the same additions in the same order, so the same bits). R[0..8] to rAt (f64).
;;
;; residual(xAt, n, order, cAt, outAt, p, sumsAt) -> largest: for i in [order, n) the residual
;; r = x[i] - floor(sum_k c[k] * x[i-1-k]) (c: 8 f64, zero past the order, pre-scaled by 2^-shift; the
;; sum grouped as the JS path's, though each product and partial sum is exact, so any grouping would
;; give the same), folded (r << 1) ^ (r >> 31) into outAt (i32), per partition of n >> p samples the
;; sum of |r| times 2 into sumsAt (f64; exact integer sums), and returns the largest partition's sum
;; of |r|. xAt has 8 zero i32 before it. Two samples per trip in the f64 lanes.
(module
  (memory (export "memory") 1)

  (func (export "autocorr") (param $xAt i32) (param $wAt i32) (param $yAt i32) (param $n i32) (param $rAt i32)
    (local $i i32) (local $end i32) (local $p i32) (local $v v128)
    (local $r10 v128) (local $r32 v128) (local $r54 v128) (local $r76 v128) (local $r98 v128)
    ;; y = x * w
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $wdone
      (loop $wloop
        (br_if $wdone (i32.ge_u (local.get $i) (local.get $end)))
        (f64.store (i32.add (local.get $yAt) (local.get $i))
          (f64.mul (f64.convert_i32_s (i32.load (i32.add (local.get $xAt) (i32.shr_u (local.get $i) (i32.const 1)))))
                   (f64.load (i32.add (local.get $wAt) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $wloop)))
    (local.set $r10 (v128.const f64x2 -0 -0))
    (local.set $r32 (v128.const f64x2 -0 -0))
    (local.set $r54 (v128.const f64x2 -0 -0))
    (local.set $r76 (v128.const f64x2 -0 -0))
    (local.set $r98 (v128.const f64x2 -0 -0))
    (local.set $p (local.get $yAt))
    (local.set $end (i32.add (local.get $yAt) (local.get $end)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load64_splat (local.get $p)))
        ;; (y[i-1], y[i]) -> lanes (R1, R0); (y[i-3], y[i-2]) -> (R3, R2); ...; (y[i-9], y[i-8]) -> (-, R8)
        (local.set $r10 (f64x2.add (local.get $r10) (f64x2.mul (local.get $v) (v128.load offset=0 (i32.sub (local.get $p) (i32.const 8))))))
        (local.set $r32 (f64x2.add (local.get $r32) (f64x2.mul (local.get $v) (v128.load offset=0 (i32.sub (local.get $p) (i32.const 24))))))
        (local.set $r54 (f64x2.add (local.get $r54) (f64x2.mul (local.get $v) (v128.load offset=0 (i32.sub (local.get $p) (i32.const 40))))))
        (local.set $r76 (f64x2.add (local.get $r76) (f64x2.mul (local.get $v) (v128.load offset=0 (i32.sub (local.get $p) (i32.const 56))))))
        (local.set $r98 (f64x2.add (local.get $r98) (f64x2.mul (local.get $v) (v128.load offset=0 (i32.sub (local.get $p) (i32.const 72))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    (f64.store offset=0 (local.get $rAt) (f64x2.extract_lane 1 (local.get $r10)))
    (f64.store offset=8 (local.get $rAt) (f64x2.extract_lane 0 (local.get $r10)))
    (f64.store offset=16 (local.get $rAt) (f64x2.extract_lane 1 (local.get $r32)))
    (f64.store offset=24 (local.get $rAt) (f64x2.extract_lane 0 (local.get $r32)))
    (f64.store offset=32 (local.get $rAt) (f64x2.extract_lane 1 (local.get $r54)))
    (f64.store offset=40 (local.get $rAt) (f64x2.extract_lane 0 (local.get $r54)))
    (f64.store offset=48 (local.get $rAt) (f64x2.extract_lane 1 (local.get $r76)))
    (f64.store offset=56 (local.get $rAt) (f64x2.extract_lane 0 (local.get $r76)))
    (f64.store offset=64 (local.get $rAt) (f64x2.extract_lane 1 (local.get $r98))))

  ;; Two residuals (i, i+1) from the sample pairs x[i-1-k], x[i-k] (lanes), as f64x2.
  (func $pair (param $q i32) (param $c v128) (param $c1 v128) (param $c2 v128) (param $c3 v128)
    (param $c4 v128) (param $c5 v128) (param $c6 v128) (param $c7 v128) (result v128)
    ;; $q: byte address of x[i]. x[i-1-k] pairs start at $q - 4 (k + 1).
    (f64x2.sub
      (f64x2.convert_low_i32x4_s (v128.load64_zero (local.get $q)))
      (f64x2.floor
        (f64x2.add
          (f64x2.add
            (f64x2.add
              (f64x2.mul (local.get $c) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 4)))))
              (f64x2.mul (local.get $c1) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 8))))))
            (f64x2.add
              (f64x2.mul (local.get $c2) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 12)))))
              (f64x2.mul (local.get $c3) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 16)))))))
          (f64x2.add
            (f64x2.add
              (f64x2.mul (local.get $c4) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 20)))))
              (f64x2.mul (local.get $c5) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 24))))))
            (f64x2.add
              (f64x2.mul (local.get $c6) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 28)))))
              (f64x2.mul (local.get $c7) (f64x2.convert_low_i32x4_s (v128.load64_zero (i32.sub (local.get $q) (i32.const 32)))))))))))

  (func (export "residual") (param $xAt i32) (param $n i32) (param $order i32) (param $cAt i32) (param $outAt i32)
    (param $p i32) (param $sumsAt i32) (result f64)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local $size i32) (local $j i32) (local $parts i32) (local $i i32) (local $end i32) (local $r v128) (local $ri v128)
    (local $sum v128) (local $s f64) (local $largest f64) (local $q i32)
    (local.set $c0 (v128.load64_splat offset=0 (local.get $cAt)))
    (local.set $c1 (v128.load64_splat offset=8 (local.get $cAt)))
    (local.set $c2 (v128.load64_splat offset=16 (local.get $cAt)))
    (local.set $c3 (v128.load64_splat offset=24 (local.get $cAt)))
    (local.set $c4 (v128.load64_splat offset=32 (local.get $cAt)))
    (local.set $c5 (v128.load64_splat offset=40 (local.get $cAt)))
    (local.set $c6 (v128.load64_splat offset=48 (local.get $cAt)))
    (local.set $c7 (v128.load64_splat offset=56 (local.get $cAt)))
    (local.set $size (i32.shr_u (local.get $n) (local.get $p)))
    (local.set $parts (i32.shl (i32.const 1) (local.get $p)))
    (block $parts_done
      (loop $partitions
        (br_if $parts_done (i32.ge_u (local.get $j) (local.get $parts)))
        (local.set $i (if (result i32) (local.get $j) (then (i32.mul (local.get $j) (local.get $size))) (else (local.get $order))))
        (local.set $end (i32.mul (i32.add (local.get $j) (i32.const 1)) (local.get $size)))
        (local.set $sum (v128.const f64x2 0 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
            (local.set $q (i32.add (local.get $xAt) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $r (call $pair (local.get $q) (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)
              (local.get $c4) (local.get $c5) (local.get $c6) (local.get $c7)))
            (local.set $sum (f64x2.add (local.get $sum) (f64x2.abs (local.get $r))))
            ;; exact for |r| < 2^31; larger ones saturate, and their partition's sum sends the caller to the checked path
            (local.set $ri (i32x4.trunc_sat_f64x2_s_zero (local.get $r)))
            (v128.store64_lane 0 (i32.add (local.get $outAt) (i32.shl (local.get $i) (i32.const 2)))
              (v128.xor (i32x4.shl (local.get $ri) (i32.const 1)) (i32x4.shr_s (local.get $ri) (i32.const 31))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $pairs)))
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            ;; The odd sample left: lane 0 of a pair whose lane 1 (past the end) is not used.
            (local.set $q (i32.add (local.get $xAt) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $r (call $pair (local.get $q) (local.get $c0) (local.get $c1) (local.get $c2) (local.get $c3)
              (local.get $c4) (local.get $c5) (local.get $c6) (local.get $c7)))
            (local.set $r (f64x2.replace_lane 1 (local.get $r) (f64.const 0)))
            (local.set $sum (f64x2.add (local.get $sum) (f64x2.abs (local.get $r))))
            (local.set $ri (i32x4.trunc_sat_f64x2_s_zero (local.get $r)))
            (i32.store (i32.add (local.get $outAt) (i32.shl (local.get $i) (i32.const 2)))
              (i32x4.extract_lane 0 (v128.xor (i32x4.shl (local.get $ri) (i32.const 1)) (i32x4.shr_s (local.get $ri) (i32.const 31)))))))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $sum)) (f64x2.extract_lane 1 (local.get $sum))))
        (f64.store (i32.add (local.get $sumsAt) (i32.shl (local.get $j) (i32.const 3))) (f64.mul (f64.const 2) (local.get $s)))
        (if (f64.gt (local.get $s) (local.get $largest)) (then (local.set $largest (local.get $s))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $partitions)))
    (local.get $largest)))
