;; The stereo delay's settled loop (space/delay.ts, processSettled) in WebAssembly SIMD, f64: left in
;; lane 0, right in lane 1, each lane doing exactly the JS path's operations in the same order, so the
;; output is bit-identical to it. Source of delay-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; settled(frames, index): `frames` frames of the block at BLOCK_L / BLOCK_R (f32, in place) through
;; the two rings (f32, `mask + 1` samples each, at RING_L / RING_R, both written at `index`); returns
;; the index after the block. Addresses and constants come from the parameter area at 0 (see below),
;; which the caller fills before each call:
;;    0 ringL i32,  4 ringR i32,  8 blockL i32, 12 blockR i32, 16 mask i32, 20 nL i32, 24 nR i32,
;;   28 fractional i32 (0: both delays whole samples, the read is the stored sample; else each lane with t = 0 still reads it),
;;   32 t f64x2 (fractions), 48 feedback, 64 dry, 80 mix, 96 low, 112 high, 128 lowAmount,
;;  144 highAmount (each f64x2, both lanes equal), 160 lowState f64x2, 176 highState f64x2 (updated).
;; (flush and the ring reads are written out inline: V8 does not inline wasm calls.)
;; Per frame and lane (DelayLine's hermite for fractional delays, r = index - n):
;;   e = flush(read) ; lp = flush(low_s + low (e - low_s)) ; y = e + (lp - e) lowAmount
;;   floor = flush(high_s + high (y - high_s)) ; w = x + feedback (y - floor highAmount)
;;   ring[index] = f32(flush(w)) ; x = f32(x dry + e mix) ; flush(v) = |v| > 1e-30 ? v : 0.
;;
;; plain(frames, index): the same for settled feedback filters that are both off (their amounts 0, their
;; states 0) and whole-sample delays: then y = e and w = x + feedback e exactly, with no recursion, so
;; each channel runs alone, two frames per f64x2, over runs where the read (index - n) and the write
;; (index) are both contiguous and no frame reads what the run writes (run length <= n). Bit-identical
;; to the per-frame loop above with lowAmount = highAmount = 0.
(module
  (memory (export "memory") 1)

  (func (export "settled") (param $frames i32) (param $index i32) (result i32)
    (local $ringL i32) (local $ringR i32) (local $blockL i32) (local $blockR i32) (local $mask i32)
    (local $nL i32) (local $nR i32) (local $fractional i32) (local $i i32) (local $rL i32) (local $rR i32)
    (local $t v128) (local $feedback v128) (local $dry v128) (local $mix v128) (local $low v128) (local $high v128)
    (local $lowAmount v128) (local $highAmount v128) (local $lowState v128) (local $highState v128)
    (local $ym1 v128) (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $v v128) (local $e v128) (local $y v128) (local $input v128) (local $w v128) (local $o v128)
    (local.set $ringL (i32.load (i32.const 0)))
    (local.set $ringR (i32.load (i32.const 4)))
    (local.set $blockL (i32.load (i32.const 8)))
    (local.set $blockR (i32.load (i32.const 12)))
    (local.set $mask (i32.load (i32.const 16)))
    (local.set $nL (i32.load (i32.const 20)))
    (local.set $nR (i32.load (i32.const 24)))
    (local.set $fractional (i32.load (i32.const 28)))
    (local.set $t (v128.load (i32.const 32)))
    (local.set $feedback (v128.load (i32.const 48)))
    (local.set $dry (v128.load (i32.const 64)))
    (local.set $mix (v128.load (i32.const 80)))
    (local.set $low (v128.load (i32.const 96)))
    (local.set $high (v128.load (i32.const 112)))
    (local.set $lowAmount (v128.load (i32.const 128)))
    (local.set $highAmount (v128.load (i32.const 144)))
    (local.set $lowState (v128.load (i32.const 160)))
    (local.set $highState (v128.load (i32.const 176)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        (local.set $rL (i32.sub (local.get $index) (local.get $nL)))
        (local.set $rR (i32.sub (local.get $index) (local.get $nR)))
        (if (local.get $fractional)
          (then
            ;; hermite(ym1 = ring[r + 1], y0 = ring[r], y1 = ring[r - 1], y2 = ring[r - 2], t)
            (local.set $ym1 (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $ringR) (i32.shl (i32.and (i32.add (local.get $rR) (i32.const 1)) (local.get $mask)) (i32.const 2))) (v128.load32_zero (i32.add (local.get $ringL) (i32.shl (i32.and (i32.add (local.get $rL) (i32.const 1)) (local.get $mask)) (i32.const 2)))))))
            (local.set $y0 (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $ringR) (i32.shl (i32.and (local.get $rR) (local.get $mask)) (i32.const 2))) (v128.load32_zero (i32.add (local.get $ringL) (i32.shl (i32.and (local.get $rL) (local.get $mask)) (i32.const 2)))))))
            (local.set $y1 (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $ringR) (i32.shl (i32.and (i32.sub (local.get $rR) (i32.const 1)) (local.get $mask)) (i32.const 2))) (v128.load32_zero (i32.add (local.get $ringL) (i32.shl (i32.and (i32.sub (local.get $rL) (i32.const 1)) (local.get $mask)) (i32.const 2)))))))
            (local.set $y2 (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $ringR) (i32.shl (i32.and (i32.sub (local.get $rR) (i32.const 2)) (local.get $mask)) (i32.const 2))) (v128.load32_zero (i32.add (local.get $ringL) (i32.shl (i32.and (i32.sub (local.get $rL) (i32.const 2)) (local.get $mask)) (i32.const 2)))))))
            ;; c1 = 0.5 (y1 - ym1); c2 = ((ym1 - 2.5 y0) + 2 y1) - 0.5 y2; c3 = 0.5 (y2 - ym1) + 1.5 (y0 - y1)
            (local.set $c1 (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.sub (local.get $y1) (local.get $ym1))))
            (local.set $c2 (f64x2.sub
              (f64x2.add (f64x2.sub (local.get $ym1) (f64x2.mul (v128.const f64x2 2.5 2.5) (local.get $y0))) (f64x2.mul (v128.const f64x2 2 2) (local.get $y1)))
              (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $y2))))
            (local.set $c3 (f64x2.add
              (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.sub (local.get $y2) (local.get $ym1)))
              (f64x2.mul (v128.const f64x2 1.5 1.5) (f64x2.sub (local.get $y0) (local.get $y1)))))
            ;; ((c3 t + c2) t + c1) t + y0 where the lane's delay is fractional; a whole-sample lane reads y0 itself
            (local.set $e (v128.bitselect
              (f64x2.add
                (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (local.get $c3) (local.get $t)) (local.get $c2)) (local.get $t)) (local.get $c1)) (local.get $t))
                (local.get $y0))
              (local.get $y0)
              (f64x2.ne (local.get $t) (v128.const f64x2 0 0)))))
          (else
            (local.set $e (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $ringR) (i32.shl (i32.and (local.get $rR) (local.get $mask)) (i32.const 2))) (v128.load32_zero (i32.add (local.get $ringL) (i32.shl (i32.and (local.get $rL) (local.get $mask)) (i32.const 2)))))))))
        (local.set $e (v128.and (local.tee $v (local.get $e)) (f64x2.gt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30))))
        (local.set $lowState (v128.and (local.tee $v (f64x2.add (local.get $lowState) (f64x2.mul (local.get $low) (f64x2.sub (local.get $e) (local.get $lowState))))) (f64x2.gt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30))))
        (local.set $y (f64x2.add (local.get $e) (f64x2.mul (f64x2.sub (local.get $lowState) (local.get $e)) (local.get $lowAmount))))
        (local.set $highState (v128.and (local.tee $v (f64x2.add (local.get $highState) (f64x2.mul (local.get $high) (f64x2.sub (local.get $y) (local.get $highState))))) (f64x2.gt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30))))
        (local.set $input (f64x2.promote_low_f32x4
          (v128.load32_lane 1 (i32.add (local.get $blockR) (i32.shl (local.get $i) (i32.const 2)))
            (v128.load32_zero (i32.add (local.get $blockL) (i32.shl (local.get $i) (i32.const 2)))))))
        (local.set $w (f32x4.demote_f64x2_zero (v128.and (local.tee $v (f64x2.add (local.get $input) (f64x2.mul (local.get $feedback)
            (f64x2.sub (local.get $y) (f64x2.mul (local.get $highState) (local.get $highAmount)))))) (f64x2.gt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30)))))
        (v128.store32_lane 0 (i32.add (local.get $ringL) (i32.shl (local.get $index) (i32.const 2))) (local.get $w))
        (v128.store32_lane 1 (i32.add (local.get $ringR) (i32.shl (local.get $index) (i32.const 2))) (local.get $w))
        (local.set $index (i32.and (i32.add (local.get $index) (i32.const 1)) (local.get $mask)))
        (local.set $o (f32x4.demote_f64x2_zero
          (f64x2.add (f64x2.mul (local.get $input) (local.get $dry)) (f64x2.mul (local.get $e) (local.get $mix)))))
        (v128.store32_lane 0 (i32.add (local.get $blockL) (i32.shl (local.get $i) (i32.const 2))) (local.get $o))
        (v128.store32_lane 1 (i32.add (local.get $blockR) (i32.shl (local.get $i) (i32.const 2))) (local.get $o))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (v128.store (i32.const 160) (local.get $lowState))
    (v128.store (i32.const 176) (local.get $highState))
    (local.get $index))
  ;; One channel of plain(): `frames` frames of the block at $block through the ring at $ring (delay $n).
  (func $plainChannel (param $ring i32) (param $block i32) (param $n i32) (param $frames i32) (param $index i32)
    (local $mask i32) (local $size i32) (local $i i32) (local $r i32) (local $len i32) (local $pe i32) (local $pw i32) (local $px i32)
    (local $end i32) (local $feedback v128) (local $dry v128) (local $mix v128) (local $e v128) (local $x v128) (local $v v128)
    (local $es f64) (local $xs f64) (local $vs f64)
    (local.set $mask (i32.load (i32.const 16)))
    (local.set $size (i32.add (local.get $mask) (i32.const 1)))
    (local.set $feedback (v128.load (i32.const 48)))
    (local.set $dry (v128.load (i32.const 64)))
    (local.set $mix (v128.load (i32.const 80)))
    (block $done
      (loop $run
        (br_if $done (i32.ge_u (local.get $i) (local.get $frames)))
        (local.set $r (i32.and (i32.sub (local.get $index) (local.get $n)) (local.get $mask)))
        ;; len = min(frames - i, n, size - r, size - index)
        (local.set $len (i32.sub (local.get $frames) (local.get $i)))
        (if (i32.lt_u (local.get $n) (local.get $len)) (then (local.set $len (local.get $n))))
        (if (i32.lt_u (i32.sub (local.get $size) (local.get $r)) (local.get $len)) (then (local.set $len (i32.sub (local.get $size) (local.get $r)))))
        (if (i32.lt_u (i32.sub (local.get $size) (local.get $index)) (local.get $len)) (then (local.set $len (i32.sub (local.get $size) (local.get $index)))))
        (local.set $pe (i32.add (local.get $ring) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $pw (i32.add (local.get $ring) (i32.shl (local.get $index) (i32.const 2))))
        (local.set $px (i32.add (local.get $block) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $end (i32.add (local.get $px) (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 2))))
        (block $pairsDone
          (loop $pair
            (br_if $pairsDone (i32.ge_u (local.get $px) (local.get $end)))
            (local.set $e (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $pe))))
            (local.set $e (v128.and (local.get $e) (f64x2.gt (f64x2.abs (local.get $e)) (v128.const f64x2 1e-30 1e-30))))
            (local.set $x (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px))))
            (local.set $v (f64x2.add (local.get $x) (f64x2.mul (local.get $feedback) (local.get $e))))
            (v128.store64_lane 0 (local.get $pw) (f32x4.demote_f64x2_zero
              (v128.and (local.get $v) (f64x2.gt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30)))))
            (v128.store64_lane 0 (local.get $px) (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.mul (local.get $x) (local.get $dry)) (f64x2.mul (local.get $e) (local.get $mix)))))
            (local.set $pe (i32.add (local.get $pe) (i32.const 8)))
            (local.set $pw (i32.add (local.get $pw) (i32.const 8)))
            (local.set $px (i32.add (local.get $px) (i32.const 8)))
            (br $pair)))
        ;; an odd frame left over: the same operations in scalar f64
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $es (f64.promote_f32 (f32.load (local.get $pe))))
            (if (i32.eqz (f64.gt (f64.abs (local.get $es)) (f64.const 1e-30))) (then (local.set $es (f64.const 0))))
            (local.set $xs (f64.promote_f32 (f32.load (local.get $px))))
            (local.set $vs (f64.add (local.get $xs) (f64.mul (f64x2.extract_lane 0 (local.get $feedback)) (local.get $es))))
            (if (i32.eqz (f64.gt (f64.abs (local.get $vs)) (f64.const 1e-30))) (then (local.set $vs (f64.const 0))))
            (f32.store (local.get $pw) (f32.demote_f64 (local.get $vs)))
            (f32.store (local.get $px) (f32.demote_f64
              (f64.add (f64.mul (local.get $xs) (f64x2.extract_lane 0 (local.get $dry))) (f64.mul (local.get $es) (f64x2.extract_lane 0 (local.get $mix))))))))
        (local.set $i (i32.add (local.get $i) (local.get $len)))
        (local.set $index (i32.and (i32.add (local.get $index) (local.get $len)) (local.get $mask)))
        (br $run))))

  (func (export "plain") (param $frames i32) (param $index i32) (result i32)
    (call $plainChannel (i32.load (i32.const 0)) (i32.load (i32.const 8)) (i32.load (i32.const 20)) (local.get $frames) (local.get $index))
    (call $plainChannel (i32.load (i32.const 4)) (i32.load (i32.const 12)) (i32.load (i32.const 24)) (local.get $frames) (local.get $index))
    (i32.and (i32.add (local.get $index) (local.get $frames)) (i32.load (i32.const 16))))
)
