;; Frequency-domain delay-line multiply-accumulate for the partitioned convolver, WebAssembly SIMD.
;;
;; Source of src/engine/dsp/convolution/fdl-mac.wasm.ts; rebuild with `node scripts/build-wasm.mjs`
;; (the wrapper is fdl-mac.ts; the reference JS path is UniformPartitionStage.accumulate).
;;
;; Spectra are split f32 planes: `plane` bytes of real parts (bins padded to a multiple of 8), then
;; `plane` bytes of imaginary parts. mac(pairs, count, plane, acc) sets
;;   acc = sum over i < count of X_i * H_i   (complex, per bin)
;; where pair i at byte pairs + 8 i holds the byte addresses of X_i and H_i. The bins are the outer
;; loop (8 per trip: two f32x4 for re and im), the pairs the inner one, so the accumulators stay in
;; registers and every spectrum is streamed once.
(module
  (memory (export "memory") 1)

  (func (export "mac") (param $pairs i32) (param $count i32) (param $plane i32) (param $acc i32)
    (local $j i32) (local $p i32) (local $end i32) (local $x i32) (local $h i32)
    (local $ar0 v128) (local $ar1 v128) (local $ai0 v128) (local $ai1 v128)
    (local $xr0 v128) (local $xr1 v128) (local $xi0 v128) (local $xi1 v128)
    (local $hr0 v128) (local $hr1 v128) (local $hi0 v128) (local $hi1 v128)
    (local.set $end (i32.add (local.get $pairs) (i32.shl (local.get $count) (i32.const 3))))
    (block $done
      (loop $bins
        (br_if $done (i32.ge_u (local.get $j) (local.get $plane)))
        (local.set $ar0 (v128.const i32x4 0 0 0 0))
        (local.set $ar1 (v128.const i32x4 0 0 0 0))
        (local.set $ai0 (v128.const i32x4 0 0 0 0))
        (local.set $ai1 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $pairs))
        (block $summed
          (loop $terms
            (br_if $summed (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $x (i32.add (i32.load (local.get $p)) (local.get $j)))
            (local.set $h (i32.add (i32.load offset=4 (local.get $p)) (local.get $j)))
            (local.set $xr0 (v128.load (local.get $x)))
            (local.set $xr1 (v128.load offset=16 (local.get $x)))
            (local.set $hr0 (v128.load (local.get $h)))
            (local.set $hr1 (v128.load offset=16 (local.get $h)))
            (local.set $x (i32.add (local.get $x) (local.get $plane)))
            (local.set $h (i32.add (local.get $h) (local.get $plane)))
            (local.set $xi0 (v128.load (local.get $x)))
            (local.set $xi1 (v128.load offset=16 (local.get $x)))
            (local.set $hi0 (v128.load (local.get $h)))
            (local.set $hi1 (v128.load offset=16 (local.get $h)))
            (local.set $ar0 (f32x4.add (local.get $ar0)
              (f32x4.sub (f32x4.mul (local.get $xr0) (local.get $hr0)) (f32x4.mul (local.get $xi0) (local.get $hi0)))))
            (local.set $ai0 (f32x4.add (local.get $ai0)
              (f32x4.add (f32x4.mul (local.get $xr0) (local.get $hi0)) (f32x4.mul (local.get $xi0) (local.get $hr0)))))
            (local.set $ar1 (f32x4.add (local.get $ar1)
              (f32x4.sub (f32x4.mul (local.get $xr1) (local.get $hr1)) (f32x4.mul (local.get $xi1) (local.get $hi1)))))
            (local.set $ai1 (f32x4.add (local.get $ai1)
              (f32x4.add (f32x4.mul (local.get $xr1) (local.get $hi1)) (f32x4.mul (local.get $xi1) (local.get $hr1)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $terms)))
        (local.set $x (i32.add (local.get $acc) (local.get $j)))
        (v128.store (local.get $x) (local.get $ar0))
        (v128.store offset=16 (local.get $x) (local.get $ar1))
        (local.set $x (i32.add (local.get $x) (local.get $plane)))
        (v128.store (local.get $x) (local.get $ai0))
        (v128.store offset=16 (local.get $x) (local.get $ai1))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $bins))))
;; fft(re, im, n, tw): the radix-2 stages of half 4, 8, .. n/2 of an in-place complex f32 FFT (split
;; planes at byte addresses re and im, n points), the input already bit-reversed and through the two
;; first stages (done in JS). tw holds, per stage, the `half` twiddle re parts then the `half` im parts
;; (W = e^{-2 pi i k / (2 half)}). 4 butterflies per trip.
  (func (export "fft") (param $re i32) (param $im i32) (param $n i32) (param $tw i32)
    (local $hb i32) (local $nb i32) (local $start i32) (local $k i32) (local $a i32) (local $b i32)
    (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128) (local $wr v128) (local $wi v128)
    (local $tr v128) (local $ti v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $hb (i32.const 16))
    (block $stages_done
      (loop $stages
        (br_if $stages_done (i32.ge_u (local.get $hb) (local.get $nb)))
        (local.set $start (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $start) (local.get $nb)))
            (local.set $k (i32.const 0))
            (block $bf_done
              (loop $bf
                (br_if $bf_done (i32.ge_u (local.get $k) (local.get $hb)))
                (local.set $a (i32.add (local.get $start) (local.get $k)))
                (local.set $b (i32.add (local.get $a) (local.get $hb)))
                (local.set $br (v128.load (i32.add (local.get $re) (local.get $b))))
                (local.set $bi (v128.load (i32.add (local.get $im) (local.get $b))))
                (local.set $wr (v128.load (i32.add (local.get $tw) (local.get $k))))
                (local.set $wi (v128.load (i32.add (i32.add (local.get $tw) (local.get $hb)) (local.get $k))))
                (local.set $tr (f32x4.sub (f32x4.mul (local.get $br) (local.get $wr)) (f32x4.mul (local.get $bi) (local.get $wi))))
                (local.set $ti (f32x4.add (f32x4.mul (local.get $br) (local.get $wi)) (f32x4.mul (local.get $bi) (local.get $wr))))
                (local.set $ar (v128.load (i32.add (local.get $re) (local.get $a))))
                (local.set $ai (v128.load (i32.add (local.get $im) (local.get $a))))
                (v128.store (i32.add (local.get $re) (local.get $a)) (f32x4.add (local.get $ar) (local.get $tr)))
                (v128.store (i32.add (local.get $im) (local.get $a)) (f32x4.add (local.get $ai) (local.get $ti)))
                (v128.store (i32.add (local.get $re) (local.get $b)) (f32x4.sub (local.get $ar) (local.get $tr)))
                (v128.store (i32.add (local.get $im) (local.get $b)) (f32x4.sub (local.get $ai) (local.get $ti)))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $bf)))
            (local.set $start (i32.add (local.get $start) (i32.shl (local.get $hb) (i32.const 1))))
            (br $groups)))
        (local.set $tw (i32.add (local.get $tw) (i32.shl (local.get $hb) (i32.const 1))))
        (local.set $hb (i32.shl (local.get $hb) (i32.const 1)))
        (br $stages))))

;; permute(srcRe, srcIm, dstRe, dstIm, rev, n): dst = the two first radix-2 stages (multiply-free) of
;; the bit-reversed src; rev holds n i32 byte offsets (4 x the bit-reversed index). Scalar.
  (func (export "permute") (param $sr i32) (param $si i32) (param $dr i32) (param $di i32) (param $rev i32) (param $n i32)
    (local $a i32) (local $end i32) (local $j i32)
    (local $r0 f32) (local $i0 f32) (local $r1 f32) (local $i1 f32) (local $r2 f32) (local $i2 f32) (local $r3 f32) (local $i3 f32)
    (local $b0r f32) (local $b0i f32) (local $b1r f32) (local $b1i f32) (local $b2r f32) (local $b2i f32) (local $b3r f32) (local $b3i f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $j (i32.load (i32.add (local.get $rev) (local.get $a))))
        (local.set $r0 (f32.load (i32.add (local.get $sr) (local.get $j))))
        (local.set $i0 (f32.load (i32.add (local.get $si) (local.get $j))))
        (local.set $j (i32.load offset=4 (i32.add (local.get $rev) (local.get $a))))
        (local.set $r1 (f32.load (i32.add (local.get $sr) (local.get $j))))
        (local.set $i1 (f32.load (i32.add (local.get $si) (local.get $j))))
        (local.set $j (i32.load offset=8 (i32.add (local.get $rev) (local.get $a))))
        (local.set $r2 (f32.load (i32.add (local.get $sr) (local.get $j))))
        (local.set $i2 (f32.load (i32.add (local.get $si) (local.get $j))))
        (local.set $j (i32.load offset=12 (i32.add (local.get $rev) (local.get $a))))
        (local.set $r3 (f32.load (i32.add (local.get $sr) (local.get $j))))
        (local.set $i3 (f32.load (i32.add (local.get $si) (local.get $j))))
        (local.set $b0r (f32.add (local.get $r0) (local.get $r1)))
        (local.set $b0i (f32.add (local.get $i0) (local.get $i1)))
        (local.set $b1r (f32.sub (local.get $r0) (local.get $r1)))
        (local.set $b1i (f32.sub (local.get $i0) (local.get $i1)))
        (local.set $b2r (f32.add (local.get $r2) (local.get $r3)))
        (local.set $b2i (f32.add (local.get $i2) (local.get $i3)))
        (local.set $b3r (f32.sub (local.get $r2) (local.get $r3)))
        (local.set $b3i (f32.sub (local.get $i2) (local.get $i3)))
        (local.set $j (i32.add (local.get $dr) (local.get $a)))
        (f32.store (local.get $j) (f32.add (local.get $b0r) (local.get $b2r)))
        (f32.store offset=4 (local.get $j) (f32.add (local.get $b1r) (local.get $b3i)))
        (f32.store offset=8 (local.get $j) (f32.sub (local.get $b0r) (local.get $b2r)))
        (f32.store offset=12 (local.get $j) (f32.sub (local.get $b1r) (local.get $b3i)))
        (local.set $j (i32.add (local.get $di) (local.get $a)))
        (f32.store (local.get $j) (f32.add (local.get $b0i) (local.get $b2i)))
        (f32.store offset=4 (local.get $j) (f32.sub (local.get $b1i) (local.get $b3r)))
        (f32.store offset=8 (local.get $j) (f32.sub (local.get $b0i) (local.get $b2i)))
        (f32.store offset=12 (local.get $j) (f32.add (local.get $b1i) (local.get $b3r)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $quads))))
;; unpack(re, im, n, s0, s1, plane, two): the packed spectrum Z (f32 planes re/im, n points) of two real
;; channels into their half spectra (bins 0..n/2) at s0 and (if two) s1, re plane then im plane `plane`
;; bytes apart: X0[k] = ((zr + wr) / 2, (zi - wi) / 2), X1[k] = ((zi + wi) / 2, (wr - zr) / 2),
;; w = Z[(n - k) mod n]. f32 sums of f32 values halved: the same value as the f64 JS path stored to f32.
  (func (export "unpack") (param $re i32) (param $im i32) (param $n i32) (param $s0 i32) (param $s1 i32) (param $plane i32) (param $two i32)
    (local $k i32) (local $bins i32) (local $j i32) (local $zr f32) (local $zi f32) (local $wr f32) (local $wi f32)
    (local.set $bins (i32.add (i32.shr_u (local.get $n) (i32.const 1)) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $bins)))
        (local.set $j (i32.shl (i32.and (i32.sub (local.get $n) (local.get $k)) (i32.sub (local.get $n) (i32.const 1))) (i32.const 2)))
        (local.set $zr (f32.load (i32.add (local.get $re) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $zi (f32.load (i32.add (local.get $im) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $wr (f32.load (i32.add (local.get $re) (local.get $j))))
        (local.set $wi (f32.load (i32.add (local.get $im) (local.get $j))))
        (f32.store (i32.add (local.get $s0) (i32.shl (local.get $k) (i32.const 2)))
          (f32.mul (f32.const 0.5) (f32.add (local.get $zr) (local.get $wr))))
        (f32.store (i32.add (i32.add (local.get $s0) (local.get $plane)) (i32.shl (local.get $k) (i32.const 2)))
          (f32.mul (f32.const 0.5) (f32.sub (local.get $zi) (local.get $wi))))
        (if (local.get $two)
          (then
            (f32.store (i32.add (local.get $s1) (i32.shl (local.get $k) (i32.const 2)))
              (f32.mul (f32.const 0.5) (f32.add (local.get $zi) (local.get $wi))))
            (f32.store (i32.add (i32.add (local.get $s1) (local.get $plane)) (i32.shl (local.get $k) (i32.const 2)))
              (f32.mul (f32.const 0.5) (f32.sub (local.get $wr) (local.get $zr))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

;; pack(a0, a1, two, pre, pim, b, plane): W = Y0 + j Y1 over the full circle (n = 2b points), conjugated
;; for the inverse: pre[k] = ar - bi, pim[k] = -(ai + br) for k <= b; pre[n - k] = ar + bi,
;; pim[n - k] = -(br - ai) for 0 < k < b (Y1 = 0 without `two`).
  (func (export "pack") (param $a0 i32) (param $a1 i32) (param $two i32) (param $pre i32) (param $pim i32) (param $b i32) (param $plane i32)
    (local $k i32) (local $o i32) (local $r i32) (local $ar f32) (local $ai f32) (local $br f32) (local $bi f32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (local.get $k) (local.get $b)))
        (local.set $o (i32.shl (local.get $k) (i32.const 2)))
        (local.set $ar (f32.load (i32.add (local.get $a0) (local.get $o))))
        (local.set $ai (f32.load (i32.add (i32.add (local.get $a0) (local.get $plane)) (local.get $o))))
        (if (local.get $two)
          (then
            (local.set $br (f32.load (i32.add (local.get $a1) (local.get $o))))
            (local.set $bi (f32.load (i32.add (i32.add (local.get $a1) (local.get $plane)) (local.get $o))))))
        (f32.store (i32.add (local.get $pre) (local.get $o)) (f32.sub (local.get $ar) (local.get $bi)))
        (f32.store (i32.add (local.get $pim) (local.get $o)) (f32.neg (f32.add (local.get $ai) (local.get $br))))
        (if (i32.and (i32.gt_u (local.get $k) (i32.const 0)) (i32.lt_u (local.get $k) (local.get $b)))
          (then
            (local.set $r (i32.shl (i32.sub (i32.shl (local.get $b) (i32.const 1)) (local.get $k)) (i32.const 2)))
            (f32.store (i32.add (local.get $pre) (local.get $r)) (f32.add (local.get $ar) (local.get $bi)))
            (f32.store (i32.add (local.get $pim) (local.get $r)) (f32.neg (f32.sub (local.get $br) (local.get $ai))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

;; scale(src, dst, count, s): dst[i] = src[i] * s, flushed to 0 below 1e-30 in magnitude (s a power of two,
;; so the product is exact: the same value as the JS path's f64 product stored to f32).
  (func (export "scale") (param $src i32) (param $dst i32) (param $count i32) (param $s f32)
    (local $v v128) (local $sv v128) (local $end i32)
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $v (f32x4.mul (v128.load (local.get $src)) (local.get $sv)))
        (v128.store (local.get $dst)
          (v128.andnot (local.get $v) (f32x4.lt (f32x4.abs (local.get $v)) (v128.const f32x4 1e-30 1e-30 1e-30 1e-30))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $next))))
)
