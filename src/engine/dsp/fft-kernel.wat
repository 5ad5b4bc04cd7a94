;; The in-place radix-2^2 complex FFT of dsp/fft.ts in WebAssembly SIMD, f64: the same operations in the
;; same order as Fft's JS path, so the results are bit-identical to it (wasm has no fused multiply-add).
;;
;; Source of src/engine/dsp/fft-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs` (the wrapper
;; is Fft in fft.ts, which lays out the memory):
;;   [0, 8n)          real parts, f64;    [imAt, imAt + 8n)  imaginary parts, f64
;;   [revAt, + 4n)    bit-reversed index of each i, as a byte offset (8 x index), u32
;;   [twAt, ...)      per fused pass (half = 2 or 4, then x4 while half < n): the pass's twiddles
;;                    W_{2h}^k (re, im) and W_{4h}^k (re, im), k < half: four f64 arrays of `half`.
;; forward(n, odd, imAt, revAt, twAt): bit reversal, then one radix-2 pass (odd log2 n) or the first
;; fused pass with trivial twiddles (even), then the fused passes, two butterflies (k, k + 1) per trip
;; in the two f64 lanes.
(module
  (memory (export "memory") 1)

  (func (export "forward") (param $n i32) (param $odd i32) (param $imAt i32) (param $revAt i32) (param $twAt i32)
    (local $i i32) (local $ib i32) (local $jb i32) (local $end i32) (local $t f64)
    (local $half i32) (local $hb i32) (local $group i32) (local $start i32) (local $k i32) (local $tw i32)
    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $i3 i32)
    (local $r0 f64) (local $m0 f64) (local $r1 f64) (local $m1 f64) (local $r2 f64) (local $m2 f64) (local $r3 f64) (local $m3 f64)
    (local $b0r f64) (local $b0i f64) (local $b1r f64) (local $b1i f64) (local $b2r f64) (local $b2i f64) (local $b3r f64) (local $b3i f64)
    (local $war v128) (local $wai v128) (local $wbr v128) (local $wbi v128)
    (local $vr1 v128) (local $vm1 v128) (local $vr3 v128) (local $vm3 v128) (local $tr v128) (local $ti v128) (local $ur v128) (local $ui v128)
    (local $vr0 v128) (local $vm0 v128) (local $vr2 v128) (local $vm2 v128)
    (local $c0r v128) (local $c0i v128) (local $c1r v128) (local $c1i v128) (local $c2r v128) (local $c2i v128) (local $c3r v128) (local $c3i v128)
    (local $xr v128) (local $xi v128) (local $qr v128) (local $qi v128)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    ;; Bit reversal: swap i and rev(i) once (when rev(i) > i).
    (block $rev_done
      (loop $rev
        (br_if $rev_done (i32.ge_u (local.get $ib) (local.get $end)))
        (local.set $jb (i32.load (i32.add (local.get $revAt) (i32.shr_u (local.get $ib) (i32.const 1)))))
        (if (i32.gt_u (local.get $jb) (local.get $ib))
          (then
            (local.set $t (f64.load (local.get $ib)))
            (f64.store (local.get $ib) (f64.load (local.get $jb)))
            (f64.store (local.get $jb) (local.get $t))
            (local.set $t (f64.load (i32.add (local.get $imAt) (local.get $ib))))
            (f64.store (i32.add (local.get $imAt) (local.get $ib)) (f64.load (i32.add (local.get $imAt) (local.get $jb))))
            (f64.store (i32.add (local.get $imAt) (local.get $jb)) (local.get $t))))
        (local.set $ib (i32.add (local.get $ib) (i32.const 8)))
        (br $rev)))
    (local.set $ib (i32.const 0))
    (if (local.get $odd)
      (then
        ;; One radix-2 pass over pairs (a, a + 1).
        (block $p2_done
          (loop $p2
            (br_if $p2_done (i32.ge_u (local.get $ib) (local.get $end)))
            (local.set $r1 (f64.load offset=8 (local.get $ib)))
            (local.set $m1 (f64.load offset=8 (i32.add (local.get $imAt) (local.get $ib))))
            (local.set $r0 (f64.load (local.get $ib)))
            (local.set $m0 (f64.load (i32.add (local.get $imAt) (local.get $ib))))
            (f64.store offset=8 (local.get $ib) (f64.sub (local.get $r0) (local.get $r1)))
            (f64.store offset=8 (i32.add (local.get $imAt) (local.get $ib)) (f64.sub (local.get $m0) (local.get $m1)))
            (f64.store (local.get $ib) (f64.add (local.get $r0) (local.get $r1)))
            (f64.store (i32.add (local.get $imAt) (local.get $ib)) (f64.add (local.get $m0) (local.get $m1)))
            (local.set $ib (i32.add (local.get $ib) (i32.const 16)))
            (br $p2)))
        (local.set $half (i32.const 2)))
      (else
        ;; First fused pass (half = 1): every twiddle is 1 or -j.
        (block $p4_done
          (loop $p4
            (br_if $p4_done (i32.ge_u (local.get $ib) (local.get $end)))
            (local.set $i0 (i32.add (local.get $imAt) (local.get $ib)))
            (local.set $r0 (f64.load (local.get $ib)))
            (local.set $m0 (f64.load (local.get $i0)))
            (local.set $r1 (f64.load offset=8 (local.get $ib)))
            (local.set $m1 (f64.load offset=8 (local.get $i0)))
            (local.set $r2 (f64.load offset=16 (local.get $ib)))
            (local.set $m2 (f64.load offset=16 (local.get $i0)))
            (local.set $r3 (f64.load offset=24 (local.get $ib)))
            (local.set $m3 (f64.load offset=24 (local.get $i0)))
            (local.set $b0r (f64.add (local.get $r0) (local.get $r1)))
            (local.set $b0i (f64.add (local.get $m0) (local.get $m1)))
            (local.set $b1r (f64.sub (local.get $r0) (local.get $r1)))
            (local.set $b1i (f64.sub (local.get $m0) (local.get $m1)))
            (local.set $b2r (f64.add (local.get $r2) (local.get $r3)))
            (local.set $b2i (f64.add (local.get $m2) (local.get $m3)))
            (local.set $b3r (f64.sub (local.get $r2) (local.get $r3)))
            (local.set $b3i (f64.sub (local.get $m2) (local.get $m3)))
            (f64.store (local.get $ib) (f64.add (local.get $b0r) (local.get $b2r)))
            (f64.store (local.get $i0) (f64.add (local.get $b0i) (local.get $b2i)))
            (f64.store offset=16 (local.get $ib) (f64.sub (local.get $b0r) (local.get $b2r)))
            (f64.store offset=16 (local.get $i0) (f64.sub (local.get $b0i) (local.get $b2i)))
            (f64.store offset=8 (local.get $ib) (f64.add (local.get $b1r) (local.get $b3i)))
            (f64.store offset=8 (local.get $i0) (f64.sub (local.get $b1i) (local.get $b3r)))
            (f64.store offset=24 (local.get $ib) (f64.sub (local.get $b1r) (local.get $b3i)))
            (f64.store offset=24 (local.get $i0) (f64.add (local.get $b1i) (local.get $b3r)))
            (local.set $ib (i32.add (local.get $ib) (i32.const 32)))
            (br $p4)))
        (local.set $half (i32.const 4))))
    ;; Fused passes: stage A (twiddle W_{2h}^k) and stage B (W_{4h}^k, and -j W_{4h}^k) per group of 4 half.
    (local.set $tw (local.get $twAt))
    (block $passes_done
      (loop $passes
        (br_if $passes_done (i32.ge_u (local.get $half) (local.get $n)))
        (local.set $hb (i32.shl (local.get $half) (i32.const 3)))
        (local.set $group (i32.shl (local.get $hb) (i32.const 2)))
        (local.set $start (i32.const 0))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $start) (local.get $end)))
            (local.set $k (i32.const 0))
            (block $k_done
              (loop $ks
                (br_if $k_done (i32.ge_u (local.get $k) (local.get $hb)))
                (local.set $i (i32.add (local.get $tw) (local.get $k)))
                (local.set $war (v128.load (local.get $i)))
                (local.set $i (i32.add (local.get $i) (local.get $hb)))
                (local.set $wai (v128.load (local.get $i)))
                (local.set $i (i32.add (local.get $i) (local.get $hb)))
                (local.set $wbr (v128.load (local.get $i)))
                (local.set $i (i32.add (local.get $i) (local.get $hb)))
                (local.set $wbi (v128.load (local.get $i)))
                (local.set $i0 (i32.add (local.get $start) (local.get $k)))
                (local.set $i1 (i32.add (local.get $i0) (local.get $hb)))
                (local.set $i2 (i32.add (local.get $i1) (local.get $hb)))
                (local.set $i3 (i32.add (local.get $i2) (local.get $hb)))
                (local.set $vr1 (v128.load (local.get $i1)))
                (local.set $vm1 (v128.load (i32.add (local.get $imAt) (local.get $i1))))
                (local.set $vr3 (v128.load (local.get $i3)))
                (local.set $vm3 (v128.load (i32.add (local.get $imAt) (local.get $i3))))
                (local.set $tr (f64x2.sub (f64x2.mul (local.get $vr1) (local.get $war)) (f64x2.mul (local.get $vm1) (local.get $wai))))
                (local.set $ti (f64x2.add (f64x2.mul (local.get $vr1) (local.get $wai)) (f64x2.mul (local.get $vm1) (local.get $war))))
                (local.set $ur (f64x2.sub (f64x2.mul (local.get $vr3) (local.get $war)) (f64x2.mul (local.get $vm3) (local.get $wai))))
                (local.set $ui (f64x2.add (f64x2.mul (local.get $vr3) (local.get $wai)) (f64x2.mul (local.get $vm3) (local.get $war))))
                (local.set $vr0 (v128.load (local.get $i0)))
                (local.set $vm0 (v128.load (i32.add (local.get $imAt) (local.get $i0))))
                (local.set $vr2 (v128.load (local.get $i2)))
                (local.set $vm2 (v128.load (i32.add (local.get $imAt) (local.get $i2))))
                (local.set $c0r (f64x2.add (local.get $vr0) (local.get $tr)))
                (local.set $c0i (f64x2.add (local.get $vm0) (local.get $ti)))
                (local.set $c1r (f64x2.sub (local.get $vr0) (local.get $tr)))
                (local.set $c1i (f64x2.sub (local.get $vm0) (local.get $ti)))
                (local.set $c2r (f64x2.add (local.get $vr2) (local.get $ur)))
                (local.set $c2i (f64x2.add (local.get $vm2) (local.get $ui)))
                (local.set $c3r (f64x2.sub (local.get $vr2) (local.get $ur)))
                (local.set $c3i (f64x2.sub (local.get $vm2) (local.get $ui)))
                (local.set $xr (f64x2.sub (f64x2.mul (local.get $c2r) (local.get $wbr)) (f64x2.mul (local.get $c2i) (local.get $wbi))))
                (local.set $xi (f64x2.add (f64x2.mul (local.get $c2r) (local.get $wbi)) (f64x2.mul (local.get $c2i) (local.get $wbr))))
                (local.set $qr (f64x2.sub (f64x2.mul (local.get $c3r) (local.get $wbr)) (f64x2.mul (local.get $c3i) (local.get $wbi))))
                (local.set $qi (f64x2.add (f64x2.mul (local.get $c3r) (local.get $wbi)) (f64x2.mul (local.get $c3i) (local.get $wbr))))
                (v128.store (local.get $i0) (f64x2.add (local.get $c0r) (local.get $xr)))
                (v128.store (i32.add (local.get $imAt) (local.get $i0)) (f64x2.add (local.get $c0i) (local.get $xi)))
                (v128.store (local.get $i2) (f64x2.sub (local.get $c0r) (local.get $xr)))
                (v128.store (i32.add (local.get $imAt) (local.get $i2)) (f64x2.sub (local.get $c0i) (local.get $xi)))
                ;; -j q = (qi, -qr)
                (v128.store (local.get $i1) (f64x2.add (local.get $c1r) (local.get $qi)))
                (v128.store (i32.add (local.get $imAt) (local.get $i1)) (f64x2.sub (local.get $c1i) (local.get $qr)))
                (v128.store (local.get $i3) (f64x2.sub (local.get $c1r) (local.get $qi)))
                (v128.store (i32.add (local.get $imAt) (local.get $i3)) (f64x2.add (local.get $c1i) (local.get $qr)))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $ks)))
            (local.set $start (i32.add (local.get $start) (local.get $group)))
            (br $groups)))
        (local.set $tw (i32.add (local.get $tw) (i32.shl (local.get $hb) (i32.const 2))))
        (local.set $half (i32.shl (local.get $half) (i32.const 2)))
        (br $passes)))))
