;; TPDF-dithered quantization (dither.ts, createTpdfDither's quantizeBlock) in WebAssembly SIMD, four
;; samples a trip: the mulberry32 states of four consecutive draws are s + C, s + 2C, s + 3C, s + 4C (C =
;; 0x6d2b79f5), so the draws are independent lanes of i32x4; the arithmetic after them is f64, exact
;; (x * 2^(bits-1) has at most 24 significant bits, the noise is a multiple of 2^-16 below 1), so the
;; codes are bit-identical to the JS loop's. Source of dither-kernel.wasm.ts; rebuild with
;; `node scripts/build-wasm.mjs`.
;;
;; tpdf(src, dst, count, state, scale, min, max) -> state: dst[i] (i32) = clamp(floor(src[i] (f32) *
;; scale + noise_i + 0.5), min, max) for i < count, noise_i = ((t & 0xffff) - (t >>> 16)) / 65536 for
;; t = mulberry32(state + (i + 1) C); returns state + count C. src and dst 16-byte aligned. NaN gives 0
;; (as storing NaN into an Int32Array does), infinities clamp (as the JS comparisons do).
(module
  (memory (export "memory") 1)

  (func (export "tpdf") (param $src i32) (param $dst i32) (param $count i32) (param $state i32)
    (param $scale f64) (param $min f64) (param $max f64) (result i32)
    (local $end i32) (local $s v128) (local $t v128) (local $n v128) (local $x v128)
    (local $lo v128) (local $hi v128) (local $vscale v128) (local $vmin v128) (local $vmax v128)
    (local $ts i32) (local $tt i32) (local $code f64)
    (local.set $vscale (f64x2.splat (local.get $scale)))
    (local.set $vmin (f64x2.splat (local.get $min)))
    (local.set $vmax (f64x2.splat (local.get $max)))
    ;; lanes: state + C, + 2C, + 3C, + 4C (wrapping i32 adds, as (s + C) | 0 in JS)
    (local.set $s (i32x4.add (i32x4.splat (local.get $state))
      (v128.const i32x4 0x6d2b79f5 0xda56f3ea 0x47826ddf 0xb4ade7d4)))
    (local.set $end (i32.and (local.get $count) (i32.const -4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ts) (local.get $end)))
        ;; t = imul(s ^ (s >>> 15), 1 | s); t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t; t ^= t >>> 14
        (local.set $t (i32x4.mul (v128.xor (local.get $s) (i32x4.shr_u (local.get $s) (i32.const 15)))
          (v128.or (local.get $s) (v128.const i32x4 1 1 1 1))))
        (local.set $t (v128.xor
          (i32x4.add (local.get $t) (i32x4.mul (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 7)))
            (v128.or (local.get $t) (v128.const i32x4 61 61 61 61))))
          (local.get $t)))
        (local.set $t (v128.xor (local.get $t) (i32x4.shr_u (local.get $t) (i32.const 14))))
        ;; noise in 2^-16 LSB: (t & 0xffff) - (t >>> 16), exact in i32
        (local.set $n (i32x4.sub (v128.and (local.get $t) (v128.const i32x4 0xffff 0xffff 0xffff 0xffff))
          (i32x4.shr_u (local.get $t) (i32.const 16))))
        (local.set $x (v128.load (i32.add (local.get $src) (i32.shl (local.get $ts) (i32.const 2)))))
        ;; lanes 0, 1
        (local.set $lo (f64x2.floor (f64x2.add
          (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (local.get $vscale))
            (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $n)) (v128.const f64x2 0x1p-16 0x1p-16)))
          (v128.const f64x2 0.5 0.5))))
        ;; lanes 2, 3
        (local.set $hi (f64x2.floor (f64x2.add
          (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
              (local.get $vscale))
            (f64x2.mul (f64x2.convert_low_i32x4_s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $n) (local.get $n)))
              (v128.const f64x2 0x1p-16 0x1p-16)))
          (v128.const f64x2 0.5 0.5))))
        ;; clamp: code > max ? max : code < min ? min : code (pmin/pmax keep NaN, which truncates to 0)
        (local.set $lo (f64x2.pmax (f64x2.pmin (local.get $lo) (local.get $vmax)) (local.get $vmin)))
        (local.set $hi (f64x2.pmax (f64x2.pmin (local.get $hi) (local.get $vmax)) (local.get $vmin)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $ts) (i32.const 2)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (i32x4.trunc_sat_f64x2_s_zero (local.get $lo)) (i32x4.trunc_sat_f64x2_s_zero (local.get $hi))))
        (local.set $s (i32x4.add (local.get $s) (v128.const i32x4 0xb4ade7d4 0xb4ade7d4 0xb4ade7d4 0xb4ade7d4)))
        (local.set $ts (i32.add (local.get $ts) (i32.const 4)))
        (br $next)))
    ;; the rest one at a time, from lane 0's state
    (local.set $state (i32.sub (i32x4.extract_lane 0 (local.get $s)) (i32.const 0x6d2b79f5)))
    (block $rest
      (loop $one
        (br_if $rest (i32.ge_u (local.get $ts) (local.get $count)))
        (local.set $state (i32.add (local.get $state) (i32.const 0x6d2b79f5)))
        (local.set $tt (i32.mul (i32.xor (local.get $state) (i32.shr_u (local.get $state) (i32.const 15)))
          (i32.or (local.get $state) (i32.const 1))))
        (local.set $tt (i32.xor
          (i32.add (local.get $tt) (i32.mul (i32.xor (local.get $tt) (i32.shr_u (local.get $tt) (i32.const 7)))
            (i32.or (local.get $tt) (i32.const 61))))
          (local.get $tt)))
        (local.set $tt (i32.xor (local.get $tt) (i32.shr_u (local.get $tt) (i32.const 14))))
        (local.set $code (f64.floor (f64.add
          (f64.add (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $ts) (i32.const 2)))))
              (local.get $scale))
            (f64.mul (f64.convert_i32_s (i32.sub (i32.and (local.get $tt) (i32.const 0xffff)) (i32.shr_u (local.get $tt) (i32.const 16))))
              (f64.const 0x1p-16)))
          (f64.const 0.5))))
        (if (f64.gt (local.get $code) (local.get $max)) (then (local.set $code (local.get $max)))
          (else (if (f64.lt (local.get $code) (local.get $min)) (then (local.set $code (local.get $min))))))
        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $ts) (i32.const 2)))
          (i32.trunc_sat_f64_s (local.get $code)))
        (local.set $ts (i32.add (local.get $ts) (i32.const 1)))
        (br $one)))
    (local.get $state)))
