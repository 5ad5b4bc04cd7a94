;; Stereo polyphase kernel of the sample-rate converter (resample/sample-rate-converter.ts), WebAssembly
;; SIMD, f64. Source of src-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; emit(coef, buf, taps, at, phase, up, whole, rest, count, out), byte addresses:
;;   coef: the exact polyphase table, f64, row r at coef + r * taps * 8;
;;   buf: input frames as interleaved f64 pairs (left, right: the f32 inputs, exactly); output n reads
;;        frames at .. at + taps - 1;
;;   out: `count` output frames as interleaved f32 pairs.
;; Output n: row = phase, sum_k row[k] * x[at + k] in four accumulators (k mod 4), then
;; ((s0 + s1) + (s2 + s3)) rounded to f32 (taps is a multiple of 4); then at += whole, phase += rest (phase >= up: phase -= up, at += 1).
;; Lanes are (left, right): each does exactly the JS path's f64 operations in the same order (dot2),
;; so the results are bit-identical to it.
(module
  (memory (export "memory") 1)

  (func (export "emit") (param $coef i32) (param $buf i32) (param $taps i32) (param $at i32) (param $phase i32)
    (param $up i32) (param $whole i32) (param $rest i32) (param $count i32) (param $out i32)
    (local $n i32) (local $k i32) (local $row i32) (local $p i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rowBytes (i32.shl (local.get $taps) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $n) (local.get $count)))
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
        (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3)))
          (f32x4.demote_f64x2_zero (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3)))))
        (local.set $at (i32.add (local.get $at) (local.get $whole)))
        (local.set $phase (i32.add (local.get $phase) (local.get $rest)))
        (if (i32.ge_s (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))))
