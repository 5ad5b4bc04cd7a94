;; BS.1770-4 Annex 2 true-peak kernel: 4x oversampling with the 48-tap, 4-phase FIR, WebAssembly SIMD.
;;
;; Source of src/engine/analysis/true-peak-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`
;; (the wrapper is true-peak-kernel.ts, the reference JS path is interpolatedPeak in true-peak.ts).
;;
;; Memory layout: f32 samples from byte 0: the 11 samples before the block in chronological order
;; (x[-11] .. x[-1]), then the block x[0] .. x[count-1]. The caller grows memory to fit.
;;
;; peak(count) returns max over n in [0, count) and phases p of |y_p[n]|, y_p[n] = sum_k h_p[k] x[n-k].
;; The 4 phases live in the 4 lanes: C_k = (h_0[k], h_1[k], h_2[k], h_3[k]), so one output n is
;; sum_k splat(x[n-k]) * C_k. The main loop makes 4 outputs per trip (4 independent accumulators, each
;; splatted sample feeds up to 4 of them); a 1-output loop finishes count mod 4. Accumulation is f32
;; (the taps are exact in f32); relative error against the f64 JS path is ~1e-7.
;; The running max uses f32x4.pmax (max < v ? v : max), so NaN outputs are ignored, as in the JS path.
;; peakAt(base, count) is peak(count) for the same layout starting at byte `base` (the limiter's guard
;; keeps one channel's line per region).
(module
  (memory (export "memory") 1)

  (func (export "peak") (param $count i32) (result f32)
    (call $interp (i32.const 0) (local.get $count)))

  ;; peakAt(base, count): peak(count) for samples laid out from byte `base` (x[-11] at base) instead of 0.
  (func (export "peakAt") (param $base i32) (param $count i32) (result f32)
    (call $interp (local.get $base) (local.get $count)))

  ;; $interp(base, count): as peak(count) for the outputs whose oldest sample x[n-11] starts at byte `base`.
  (func $interp (param $base i32) (param $count i32) (result f32)
    (local $p i32) (local $end4 i32) (local $end i32)
    (local $s v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $max v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128)
    (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128)
    ;; C_k = (phase 0, phase 1, phase 2, phase 3) tap k; tap k multiplies x[n-k].
    (local.set $c0 (v128.const f32x4 0.001708984375 -0.0291748046875 -0.0189208984375 -0.00830078125))
    (local.set $c1 (v128.const f32x4 0.010986328125 0.029296875 0.0330810546875 0.014892578125))
    (local.set $c2 (v128.const f32x4 -0.0196533203125 -0.0517578125 -0.0582275390625 -0.026611328125))
    (local.set $c3 (v128.const f32x4 0.033203125 0.089111328125 0.1015625 0.047607421875))
    (local.set $c4 (v128.const f32x4 -0.0594482421875 -0.16650390625 -0.2003173828125 -0.102294921875))
    (local.set $c5 (v128.const f32x4 0.1373291015625 0.465087890625 0.77978515625 0.97216796875))
    (local.set $c6 (v128.const f32x4 0.97216796875 0.77978515625 0.465087890625 0.1373291015625))
    (local.set $c7 (v128.const f32x4 -0.102294921875 -0.2003173828125 -0.16650390625 -0.0594482421875))
    (local.set $c8 (v128.const f32x4 0.047607421875 0.1015625 0.089111328125 0.033203125))
    (local.set $c9 (v128.const f32x4 -0.026611328125 -0.0582275390625 -0.0517578125 -0.0196533203125))
    (local.set $c10 (v128.const f32x4 0.014892578125 0.0330810546875 0.029296875 0.010986328125))
    (local.set $c11 (v128.const f32x4 -0.00830078125 -0.0189208984375 -0.0291748046875 0.001708984375))

    ;; $p is the byte address of x[n-11] (the oldest sample under the filter for output n).
    (local.set $p (local.get $base))
    (local.set $end (i32.add (local.get $base) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $base) (i32.and (i32.shl (local.get $count) (i32.const 2)) (i32.const -16))))

    ;; 4 outputs per trip: y[n], y[n+1], y[n+2], y[n+3] read x[n-11] .. x[n+3] at $p + 0 .. $p + 56.
    (block $done4
      (br_if $done4 (i32.ge_s (local.get $p) (local.get $end4)))
      (loop $next4
        ;; x[n-11]: y[n] tap 11
        (local.set $s (v128.load32_splat offset=0 (local.get $p)))
        (local.set $a0 (f32x4.mul (local.get $s) (local.get $c11)))
        ;; x[n-10]: y[n] tap 10, y[n+1] tap 11
        (local.set $s (v128.load32_splat offset=4 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c10))))
        (local.set $a1 (f32x4.mul (local.get $s) (local.get $c11)))
        ;; x[n-9]: y[n] tap 9, y[n+1] tap 10, y[n+2] tap 11
        (local.set $s (v128.load32_splat offset=8 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c9))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c10))))
        (local.set $a2 (f32x4.mul (local.get $s) (local.get $c11)))
        ;; x[n-8]: y[n] tap 8, y[n+1] tap 9, y[n+2] tap 10, y[n+3] tap 11
        (local.set $s (v128.load32_splat offset=12 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c8))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c9))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c10))))
        (local.set $a3 (f32x4.mul (local.get $s) (local.get $c11)))
        ;; x[n-7]: y[n] tap 7, y[n+1] tap 8, y[n+2] tap 9, y[n+3] tap 10
        (local.set $s (v128.load32_splat offset=16 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c7))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c8))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c9))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c10))))
        ;; x[n-6]: y[n] tap 6, y[n+1] tap 7, y[n+2] tap 8, y[n+3] tap 9
        (local.set $s (v128.load32_splat offset=20 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c6))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c7))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c8))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c9))))
        ;; x[n-5]: y[n] tap 5, y[n+1] tap 6, y[n+2] tap 7, y[n+3] tap 8
        (local.set $s (v128.load32_splat offset=24 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c5))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c6))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c7))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c8))))
        ;; x[n-4]: y[n] tap 4, y[n+1] tap 5, y[n+2] tap 6, y[n+3] tap 7
        (local.set $s (v128.load32_splat offset=28 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c4))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c5))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c6))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c7))))
        ;; x[n-3]: y[n] tap 3, y[n+1] tap 4, y[n+2] tap 5, y[n+3] tap 6
        (local.set $s (v128.load32_splat offset=32 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c3))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c4))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c5))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c6))))
        ;; x[n-2]: y[n] tap 2, y[n+1] tap 3, y[n+2] tap 4, y[n+3] tap 5
        (local.set $s (v128.load32_splat offset=36 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c2))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c3))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c4))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c5))))
        ;; x[n-1]: y[n] tap 1, y[n+1] tap 2, y[n+2] tap 3, y[n+3] tap 4
        (local.set $s (v128.load32_splat offset=40 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c1))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c2))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c3))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c4))))
        ;; x[n]: y[n] tap 0, y[n+1] tap 1, y[n+2] tap 2, y[n+3] tap 3
        (local.set $s (v128.load32_splat offset=44 (local.get $p)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $c0))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c1))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c2))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c3))))
        ;; x[n+1]: y[n+1] tap 0, y[n+2] tap 1, y[n+3] tap 2
        (local.set $s (v128.load32_splat offset=48 (local.get $p)))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $c0))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c1))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c2))))
        ;; x[n+2]: y[n+2] tap 0, y[n+3] tap 1
        (local.set $s (v128.load32_splat offset=52 (local.get $p)))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $c0))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c1))))
        ;; x[n+3]: y[n+3] tap 0
        (local.set $s (v128.load32_splat offset=56 (local.get $p)))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $c0))))
        (local.set $max (f32x4.pmax (local.get $max) (f32x4.abs (local.get $a0))))
        (local.set $max (f32x4.pmax (local.get $max) (f32x4.abs (local.get $a1))))
        (local.set $max (f32x4.pmax (local.get $max) (f32x4.abs (local.get $a2))))
        (local.set $max (f32x4.pmax (local.get $max) (f32x4.abs (local.get $a3))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br_if $next4 (i32.lt_s (local.get $p) (local.get $end4)))))

    ;; The remaining count mod 4 outputs, one per trip: x[n-k] is at $p + 4 * (11 - k).
    (block $done1
      (br_if $done1 (i32.ge_s (local.get $p) (local.get $end)))
      (loop $next1
        (local.set $a0 (f32x4.mul (v128.load32_splat offset=0 (local.get $p)) (local.get $c11)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=4 (local.get $p)) (local.get $c10))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=8 (local.get $p)) (local.get $c9))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=12 (local.get $p)) (local.get $c8))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=16 (local.get $p)) (local.get $c7))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=20 (local.get $p)) (local.get $c6))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=24 (local.get $p)) (local.get $c5))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=28 (local.get $p)) (local.get $c4))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=32 (local.get $p)) (local.get $c3))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=36 (local.get $p)) (local.get $c2))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=40 (local.get $p)) (local.get $c1))))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=44 (local.get $p)) (local.get $c0))))
        (local.set $max (f32x4.pmax (local.get $max) (f32x4.abs (local.get $a0))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $next1 (i32.lt_s (local.get $p) (local.get $end)))))

    ;; Horizontal max of the 4 lanes (no NaN can be in $max).
    (local.set $max (f32x4.pmax (local.get $max)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $max) (local.get $max))))
    (local.set $max (f32x4.pmax (local.get $max)
      (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $max) (local.get $max))))
    (f32x4.extract_lane 0 (local.get $max)))
;; scan(count, peak, l1) returns the running true peak after the `count` samples in memory (layout as
;; for peak): per chunk of 256 outputs (as TruePeakMeter's JS path), the chunk's sample peak over
;; x[n-11] .. x[n] raises `peak`, and the interpolation runs only when (sample peak) x l1 (the largest
;; sum of |taps| of a phase), computed in f64 as the JS path does, exceeds `peak`: chunks that cannot
;; beat it are skipped. NaN samples and outputs are ignored.
  (func (export "scan") (param $count i32) (param $peak f32) (param $l1 f64) (result f32)
    (local $c i32) (local $len i32) (local $q i32) (local $qend i32) (local $q4 i32) (local $m v128) (local $local f32)
    (local $interpolated f32)
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_s (local.get $c) (local.get $count)))
        (local.set $len (i32.sub (local.get $count) (local.get $c)))
        (if (i32.gt_s (local.get $len) (i32.const 256)) (then (local.set $len (i32.const 256))))
        ;; max |x| over memory samples c .. c + 11 + len (the chunk and the 11 before it)
        (local.set $q (i32.shl (local.get $c) (i32.const 2)))
        (local.set $qend (i32.add (local.get $q) (i32.shl (i32.add (local.get $len) (i32.const 11)) (i32.const 2))))
        (local.set $q4 (i32.sub (local.get $qend) (i32.const 16)))
        (local.set $m (v128.const f32x4 0 0 0 0))
        (block $wide_done
          (loop $wide
            (br_if $wide_done (i32.gt_s (local.get $q) (local.get $q4)))
            (local.set $m (f32x4.pmax (local.get $m) (f32x4.abs (v128.load (local.get $q)))))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $wide)))
        (block $narrow_done
          (loop $narrow
            (br_if $narrow_done (i32.ge_s (local.get $q) (local.get $qend)))
            (local.set $m (f32x4.pmax (local.get $m) (f32x4.abs (v128.load32_splat (local.get $q)))))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $narrow)))
        (local.set $m (f32x4.pmax (local.get $m)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $m) (local.get $m))))
        (local.set $m (f32x4.pmax (local.get $m)
          (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $m) (local.get $m))))
        (local.set $local (f32x4.extract_lane 0 (local.get $m)))
        (if (f32.gt (local.get $local) (local.get $peak)) (then (local.set $peak (local.get $local))))
        (if (f64.gt (f64.mul (f64.promote_f32 (local.get $local)) (local.get $l1)) (f64.promote_f32 (local.get $peak)))
          (then
            (local.set $interpolated (call $interp (i32.shl (local.get $c) (i32.const 2)) (local.get $len)))
            (if (f32.gt (local.get $interpolated) (local.get $peak)) (then (local.set $peak (local.get $interpolated))))))
        (local.set $c (i32.add (local.get $c) (i32.const 256)))
        (br $chunks)))
    (local.get $peak))
)
