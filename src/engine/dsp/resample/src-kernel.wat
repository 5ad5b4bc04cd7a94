;; Stereo polyphase kernels of the sample-rate converter (resample/sample-rate-converter.ts), WebAssembly
;; SIMD. Source of src-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; Both take (coef, buf, taps, at, phase, up, whole, rest, count, outL, outR, limit, state), byte
;; addresses, and compute output frames while n < count and at < limit: output n reads the input frames
;; at .. at + taps - 1 with table row `phase`, is stored as f32 at outL[n], outR[n]; then at += whole,
;; phase += rest (phase >= up: phase -= up, at += 1). They return the count and leave at, phase as two
;; i32 at `state`.
;;
;; emit ('high' quality, f64): coef: row r at coef + r * taps * 8 (f64); buf: interleaved f64 pairs
;;   (left, right: the f32 inputs, exactly). sum_k row[k] * x[at + k] in four accumulators (k mod 4),
;;   then ((s0 + s1) + (s2 + s3)) rounded to f32 (taps is a multiple of 4). Lanes are (left, right):
;;   each does exactly the JS path's f64 operations in the same order (dot2): bit-identical to it.
;; emit32 ('standard' quality, f32: its rounding stays below -130 dB): coef: row r at coef + r * taps * 4
;;   (f32); buf: planar f32, the right channel init32(gap)'s `gap` bytes after the left. Per channel, eight partial sums s_j (j = k mod 8) in two f32x4 (taps k .. k + 3 and
;;   k + 4 .. k + 7 of each group of eight; a last group of four adds to s0..s3), reduced as
;;   ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)), every operation in f32: JS's dot32 exactly.
(module
  (memory (export "memory") 1)

  (func (export "emit") (param $coef i32) (param $buf i32) (param $taps i32) (param $at i32) (param $phase i32)
    (param $up i32) (param $whole i32) (param $rest i32) (param $count i32) (param $outL i32) (param $outR i32)
    (param $limit i32) (param $state i32) (result i32)
    (local $n i32) (local $k i32) (local $row i32) (local $p i32) (local $rowBytes i32) (local $y v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $taps) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $n) (local.get $count)))
        (br_if $done (i32.ge_s (local.get $at) (local.get $limit)))
        (local.set $row (i32.add (local.get $coef) (i32.mul (local.get $phase) (local.get $rowBytes))))
        (local.set $p (i32.add (local.get $buf) (i32.shl (local.get $at) (i32.const 4))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $taps
          (local.set $a0 (f64x2.add (local.get $a0)
            (f64x2.mul (v128.load64_splat (local.get $row)) (v128.load (local.get $p)))))
          (local.set $a1 (f64x2.add (local.get $a1)
            (f64x2.mul (v128.load64_splat offset=8 (local.get $row)) (v128.load offset=16 (local.get $p)))))
          (local.set $a2 (f64x2.add (local.get $a2)
            (f64x2.mul (v128.load64_splat offset=16 (local.get $row)) (v128.load offset=32 (local.get $p)))))
          (local.set $a3 (f64x2.add (local.get $a3)
            (f64x2.mul (v128.load64_splat offset=24 (local.get $row)) (v128.load offset=48 (local.get $p)))))
          (local.set $row (i32.add (local.get $row) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br_if $taps (i32.lt_s (local.get $k) (local.get $taps))))
        (local.set $y (f32x4.demote_f64x2_zero (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3)))))
        (v128.store32_lane 0 (i32.add (local.get $outL) (i32.shl (local.get $n) (i32.const 2))) (local.get $y))
        (v128.store32_lane 1 (i32.add (local.get $outR) (i32.shl (local.get $n) (i32.const 2))) (local.get $y))
        (local.set $at (i32.add (local.get $at) (local.get $whole)))
        (local.set $phase (i32.add (local.get $phase) (local.get $rest)))
        (if (i32.ge_s (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $state) (local.get $at))
    (i32.store offset=4 (local.get $state) (local.get $phase))
    (local.get $n))

  ;; buf: planar f32, the right channel `gap` bytes after the left (set by init32).
  (global $gap (mut i32) (i32.const 0))
  (func (export "init32") (param $gap i32) (global.set $gap (local.get $gap)))

  (func (export "emit32") (param $coef i32) (param $buf i32) (param $taps i32) (param $at i32) (param $phase i32)
    (param $up i32) (param $whole i32) (param $rest i32) (param $count i32) (param $outL i32) (param $outR i32)
    (param $limit i32) (param $state i32) (result i32)
    (local $n i32) (local $row i32) (local $p i32) (local $q i32) (local $rowBytes i32) (local $end i32) (local $end8 i32)
    (local $h v128) (local $l0 v128) (local $l1 v128) (local $r0 v128) (local $r1 v128) (local $tl v128) (local $tr v128) (local $v v128)
    (local.set $rowBytes (i32.shl (local.get $taps) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $n) (local.get $count)))
        (br_if $done (i32.ge_s (local.get $at) (local.get $limit)))
        (local.set $row (i32.add (local.get $coef) (i32.mul (local.get $phase) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $row) (local.get $rowBytes)))
        ;; taps is a multiple of 4: a last group of four when rowBytes mod 32 = 16
        (local.set $end8 (i32.sub (local.get $end) (i32.and (local.get $rowBytes) (i32.const 16))))
        (local.set $p (i32.add (local.get $buf) (i32.shl (local.get $at) (i32.const 2))))
        (local.set $q (i32.add (local.get $p) (global.get $gap)))
        (local.set $l0 (v128.const f32x4 0 0 0 0))
        (local.set $l1 (v128.const f32x4 0 0 0 0))
        (local.set $r0 (v128.const f32x4 0 0 0 0))
        (local.set $r1 (v128.const f32x4 0 0 0 0))
        (block $tapsDone
          (loop $taps
            (br_if $tapsDone (i32.ge_u (local.get $row) (local.get $end8)))
            (local.set $h (v128.load (local.get $row)))
            (local.set $l0 (f32x4.add (local.get $l0) (f32x4.mul (local.get $h) (v128.load (local.get $p)))))
            (local.set $r0 (f32x4.add (local.get $r0) (f32x4.mul (local.get $h) (v128.load (local.get $q)))))
            (local.set $h (v128.load offset=16 (local.get $row)))
            (local.set $l1 (f32x4.add (local.get $l1) (f32x4.mul (local.get $h) (v128.load offset=16 (local.get $p)))))
            (local.set $r1 (f32x4.add (local.get $r1) (f32x4.mul (local.get $h) (v128.load offset=16 (local.get $q)))))
            (local.set $row (i32.add (local.get $row) (i32.const 32)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $taps)))
        (if (i32.lt_u (local.get $row) (local.get $end))
          (then
            (local.set $h (v128.load (local.get $row)))
            (local.set $l0 (f32x4.add (local.get $l0) (f32x4.mul (local.get $h) (v128.load (local.get $p)))))
            (local.set $r0 (f32x4.add (local.get $r0) (f32x4.mul (local.get $h) (v128.load (local.get $q)))))))
        ;; t = (s0 + s4, s1 + s5, s2 + s6, s3 + s7) per channel; v = (L: t0 + t2, L: t1 + t3, R: t0 + t2, R: t1 + t3)
        (local.set $tl (f32x4.add (local.get $l0) (local.get $l1)))
        (local.set $tr (f32x4.add (local.get $r0) (local.get $r1)))
        (local.set $v (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $tl) (local.get $tr))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $tl) (local.get $tr))))
        ;; (L, R) = (v0 + v1, v2 + v3)
        (local.set $v (f32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $v) (local.get $v))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 4 5 6 7 12 13 14 15 (local.get $v) (local.get $v))))
        (v128.store32_lane 0 (i32.add (local.get $outL) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
        (v128.store32_lane 1 (i32.add (local.get $outR) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
        (local.set $at (i32.add (local.get $at) (local.get $whole)))
        (local.set $phase (i32.add (local.get $phase) (local.get $rest)))
        (if (i32.ge_s (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $state) (local.get $at))
    (i32.store offset=4 (local.get $state) (local.get $phase))
    (local.get $n)))
