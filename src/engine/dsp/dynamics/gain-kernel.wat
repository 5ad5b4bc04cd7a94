;; The dynamics processors' SIMD kernel (gain-kernel.ts), on an imported memory (utility/kernel-heap.ts),
;; two samples per f64x2:
;;   curve(levels, out, n, scale, w, inverseTwoW, offset, slope, range): gain-computer.ts softKneeCurve
;;     with fast-math.ts fastLog2 (x rounded to f32, exponent + y·P(y) on the mantissa);
;;   gains(reduction, makeups, gains, n, makeup, largest) -> largest: gains[i] = f32(fastExp2(m − r[i]))
;;     with m = makeup, or makeups[i] when `makeups` is not 0; returns max(largest, r[0..n)) as the JS
;;     running maximum does (a NaN never wins);
;;   transient(...): the transient shaper's gain curve (below);
;;   compress(params, detL, detR, outL, outR, n): one chunk of a stereo compressor whose channels share
;;     one envelope (stereo link 1, no parameter gliding): detector, gain computer, envelope, gains and
;;     the (delayed) audio times the gains, as compressor.ts's run() does it in JS (see below);
;;   compressRun(params, detL, detR, outL, outR, frames, first): compress() chunk after chunk;
;;   sum(aL, aR, bL, bR, outL, outR, n, subtract): out = f32(a ± b) with the denormal flush, the bands'
;;     sum of the de-esser and of the multiband compressor.
;; Every lane does the JS path's operations in the same order (no fused multiply-add): bit-identical.
;; Speed notes (V8): a v128.const inside a loop is rebuilt on every turn (three or four instructions),
;; so the constants are mutable globals read into locals before the loops; and the curves are long
;; dependency chains, so the main loops run two or four independent f64x2 per turn. The envelope (a
;; recursion) keeps its value in lane 0 of f64x2 registers, where max and min are single exact instructions.
;; An odd last sample goes through lane 0 alone (splat load, one-lane store).
(module
  (import "env" "memory" (memory 1))

  (global $MANT (mut v128) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff))
  (global $ONEBITS (mut v128) (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000))
  (global $ONE (mut v128) (v128.const f64x2 1 1))
  (global $B255 (mut v128) (v128.const i32x4 255 255 255 255))
  (global $B127 (mut v128) (v128.const i32x4 127 127 127 127))
  (global $L1 (mut v128) (v128.const f64x2 1.4419169721349412 1.4419169721349412))
  (global $L2 (mut v128) (v128.const f64x2 -0.709095835088496 -0.709095835088496))
  (global $L3 (mut v128) (v128.const f64x2 0.4156043085773912 0.4156043085773912))
  (global $L4 (mut v128) (v128.const f64x2 -0.19357371184498923 -0.19357371184498923))
  (global $L5 (mut v128) (v128.const f64x2 0.045148266221152866 0.045148266221152866))
  (global $HALF (mut v128) (v128.const f64x2 0.5 0.5))
  (global $LO (mut v128) (v128.const f64x2 -126 -126))
  (global $HI (mut v128) (v128.const f64x2 127 127))
  (global $E1 (mut v128) (v128.const f64x2 0.6931517388487415 0.6931517388487415))
  (global $E2 (mut v128) (v128.const f64x2 0.24015927168241857 0.24015927168241857))
  (global $E3 (mut v128) (v128.const f64x2 0.05581867448080831 0.05581867448080831))
  (global $E4 (mut v128) (v128.const f64x2 0.008990997570300654 0.008990997570300654))
  (global $E5 (mut v128) (v128.const f64x2 0.0018793174177309524 0.0018793174177309524))
  (global $FLOOR (mut v128) (v128.const f64x2 1e-30 1e-30))
  (global $FLOOR9 (mut v128) (v128.const f64x2 1e-9 1e-9))

  (func $curve (export "curve") (param $levels i32) (param $out i32) (param $n i32)
    (param $scale f64) (param $w f64) (param $inv f64) (param $offset f64) (param $slope f64) (param $range f64)
    (local $i i32) (local $p i32) (local $q i32) (local $s v128) (local $wv v128) (local $iv v128) (local $o v128) (local $k v128) (local $r v128)
    (local $bitsA v128) (local $yA v128) (local $zA v128) (local $zwA v128) (local $absA v128) (local $inA v128) (local $aA v128) (local $bitsB v128) (local $yB v128) (local $zB v128) (local $zwB v128) (local $absB v128) (local $inB v128) (local $aB v128) (local $bitsC v128) (local $yC v128) (local $zC v128) (local $zwC v128) (local $absC v128) (local $inC v128) (local $aC v128) (local $bitsD v128) (local $yD v128) (local $zD v128) (local $zwD v128) (local $absD v128) (local $inD v128) (local $aD v128)
    (local $cMANT v128) (local $cONEBITS v128) (local $cONE v128) (local $cB255 v128) (local $cB127 v128) (local $cL1 v128) (local $cL2 v128) (local $cL3 v128) (local $cL4 v128) (local $cL5 v128) (local $cHALF v128)
    (local.set $cMANT (global.get $MANT))
    (local.set $cONEBITS (global.get $ONEBITS))
    (local.set $cONE (global.get $ONE))
    (local.set $cB255 (global.get $B255))
    (local.set $cB127 (global.get $B127))
    (local.set $cL1 (global.get $L1))
    (local.set $cL2 (global.get $L2))
    (local.set $cL3 (global.get $L3))
    (local.set $cL4 (global.get $L4))
    (local.set $cL5 (global.get $L5))
    (local.set $cHALF (global.get $HALF))
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $wv (f64x2.splat (local.get $w)))
    (local.set $iv (f64x2.splat (local.get $inv)))
    (local.set $o (f64x2.splat (local.get $offset)))
    (local.set $k (f64x2.splat (local.get $slope)))
    (local.set $r (f64x2.splat (local.get $range)))
    ;; Eight samples per turn (four chains), then pairs, then an odd last one.
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $p (i32.add (local.get $levels) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $bitsA (f32x4.demote_f64x2_zero (v128.load (local.get $p))))
        (local.set $yA (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsA) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zA (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsA) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yA)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yA) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwA (f64x2.sub (local.get $zA) (local.get $wv)))
        (local.set $absA (f64x2.abs (local.get $zwA)))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zA) (local.get $wv)) (local.get $absA))))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inA) (f64x2.abs (local.get $inA)))))
        (local.set $aA (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inA) (local.get $inA)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwA) (local.get $absA))))))
        (local.set $aA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aA) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aA) (local.get $r))))))
        (local.set $bitsB (f32x4.demote_f64x2_zero (v128.load offset=16 (local.get $p))))
        (local.set $yB (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsB) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zB (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsB) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yB) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yB) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yB)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yB) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yB) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwB (f64x2.sub (local.get $zB) (local.get $wv)))
        (local.set $absB (f64x2.abs (local.get $zwB)))
        (local.set $inB (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zB) (local.get $wv)) (local.get $absB))))
        (local.set $inB (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inB) (f64x2.abs (local.get $inB)))))
        (local.set $aB (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inB) (local.get $inB)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwB) (local.get $absB))))))
        (local.set $aB (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aB) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aB) (local.get $r))))))
        (local.set $bitsC (f32x4.demote_f64x2_zero (v128.load offset=32 (local.get $p))))
        (local.set $yC (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsC) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zC (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsC) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yC) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yC) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yC)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yC) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yC) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwC (f64x2.sub (local.get $zC) (local.get $wv)))
        (local.set $absC (f64x2.abs (local.get $zwC)))
        (local.set $inC (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zC) (local.get $wv)) (local.get $absC))))
        (local.set $inC (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inC) (f64x2.abs (local.get $inC)))))
        (local.set $aC (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inC) (local.get $inC)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwC) (local.get $absC))))))
        (local.set $aC (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aC) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aC) (local.get $r))))))
        (local.set $bitsD (f32x4.demote_f64x2_zero (v128.load offset=48 (local.get $p))))
        (local.set $yD (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsD) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zD (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsD) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yD) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yD) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yD)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yD) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yD) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwD (f64x2.sub (local.get $zD) (local.get $wv)))
        (local.set $absD (f64x2.abs (local.get $zwD)))
        (local.set $inD (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zD) (local.get $wv)) (local.get $absD))))
        (local.set $inD (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inD) (f64x2.abs (local.get $inD)))))
        (local.set $aD (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inD) (local.get $inD)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwD) (local.get $absD))))))
        (local.set $aD (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aD) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aD) (local.get $r))))))
        (v128.store (local.get $q) (local.get $aA))
        (v128.store offset=16 (local.get $q) (local.get $aB))
        (v128.store offset=32 (local.get $q) (local.get $aC))
        (v128.store offset=48 (local.get $q) (local.get $aD))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $n)))
        (local.set $p (i32.add (local.get $levels) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $bitsA (f32x4.demote_f64x2_zero (v128.load (local.get $p))))
        (local.set $yA (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsA) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zA (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsA) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yA)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yA) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwA (f64x2.sub (local.get $zA) (local.get $wv)))
        (local.set $absA (f64x2.abs (local.get $zwA)))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zA) (local.get $wv)) (local.get $absA))))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inA) (f64x2.abs (local.get $inA)))))
        (local.set $aA (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inA) (local.get $inA)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwA) (local.get $absA))))))
        (local.set $aA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aA) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aA) (local.get $r))))))
        (v128.store (local.get $q) (local.get $aA))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then
        (local.set $bitsA (f32x4.demote_f64x2_zero (v128.load64_splat (i32.add (local.get $levels) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $yA (f64x2.sub (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bitsA) (local.get $cMANT)) (local.get $cONEBITS))) (local.get $cONE)))
        (local.set $zA (f64x2.add (f64x2.mul (local.get $s)
          (f64x2.add (f64x2.convert_low_i32x4_s (i32x4.sub (v128.and (i32x4.shr_s (local.get $bitsA) (i32.const 23)) (local.get $cB255)) (local.get $cB127)))
            (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL1) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL2) (f64x2.mul (local.get $yA)
              (f64x2.add (local.get $cL3) (f64x2.mul (local.get $yA) (f64x2.add (local.get $cL4) (f64x2.mul (local.get $yA) (local.get $cL5))))))))))))
          (local.get $o)))
        (local.set $zwA (f64x2.sub (local.get $zA) (local.get $wv)))
        (local.set $absA (f64x2.abs (local.get $zwA)))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $zA) (local.get $wv)) (local.get $absA))))
        (local.set $inA (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $inA) (f64x2.abs (local.get $inA)))))
        (local.set $aA (f64x2.mul (local.get $k) (f64x2.add (f64x2.mul (f64x2.mul (local.get $inA) (local.get $inA)) (local.get $iv))
          (f64x2.mul (local.get $cHALF) (f64x2.add (local.get $zwA) (local.get $absA))))))
        (local.set $aA (f64x2.mul (local.get $cHALF) (f64x2.sub (f64x2.add (local.get $aA) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $aA) (local.get $r))))))
        (v128.store64_lane 0 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))) (local.get $aA)))))

  (func $gains (export "gains") (param $red i32) (param $makeups i32) (param $gains i32) (param $n i32) (param $makeup f64) (param $largest f64) (result f64)
    (local $i i32) (local $p i32) (local $m v128) (local $big v128) (local $a f64) (local $b f64) (local $yA v128) (local $yB v128)
    (local $eA v128) (local $wA v128) (local $fA v128) (local $eB v128) (local $wB v128) (local $fB v128)
    (local $cLO v128) (local $cHI v128) (local $cB127 v128) (local $cONE v128) (local $cE1 v128) (local $cE2 v128) (local $cE3 v128) (local $cE4 v128) (local $cE5 v128)
    (local.set $cLO (global.get $LO))
    (local.set $cHI (global.get $HI))
    (local.set $cB127 (global.get $B127))
    (local.set $cONE (global.get $ONE))
    (local.set $cE1 (global.get $E1))
    (local.set $cE2 (global.get $E2))
    (local.set $cE3 (global.get $E3))
    (local.set $cE4 (global.get $E4))
    (local.set $cE5 (global.get $E5))
    (local.set $m (f64x2.splat (local.get $makeup)))
    (local.set $big (f64x2.splat (local.get $largest)))
    ;; Four samples per turn (two chains), then pairs, then an odd last one.
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $p (i32.add (local.get $red) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $yA (v128.load (local.get $p)))
        (local.set $yB (v128.load offset=16 (local.get $p)))
        (local.set $big (f64x2.pmax (f64x2.pmax (local.get $big) (local.get $yA)) (local.get $yB)))
        (if (local.get $makeups)
          (then
            (local.set $p (i32.add (local.get $makeups) (i32.shl (local.get $i) (i32.const 3))))
            (local.set $yA (f64x2.sub (v128.load (local.get $p)) (local.get $yA)))
            (local.set $yB (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $yB))))
          (else
            (local.set $yA (f64x2.sub (local.get $m) (local.get $yA)))
            (local.set $yB (f64x2.sub (local.get $m) (local.get $yB)))))
        (local.set $eA (f64x2.min (f64x2.max (local.get $yA) (local.get $cLO)) (local.get $cHI)))
        (local.set $wA (f64x2.floor (local.get $eA)))
        (local.set $fA (f64x2.sub (local.get $eA) (local.get $wA)))
        (local.set $eA (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wA)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fA)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fA) (local.get $cE5))))))))))))))
        (local.set $eB (f64x2.min (f64x2.max (local.get $yB) (local.get $cLO)) (local.get $cHI)))
        (local.set $wB (f64x2.floor (local.get $eB)))
        (local.set $fB (f64x2.sub (local.get $eB) (local.get $wB)))
        (local.set $eB (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wB)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fB)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fB) (local.get $cE5))))))))))))))
        (local.set $p (i32.add (local.get $gains) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store64_lane 0 (local.get $p) (local.get $eA))
        (v128.store64_lane offset=8 0 (local.get $p) (local.get $eB))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $red) (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then
            (local.set $yA (v128.load (local.get $p)))
            (if (local.get $makeups) (then (local.set $m (v128.load (i32.add (local.get $makeups) (i32.shl (local.get $i) (i32.const 3))))))))
          (else
            (local.set $yA (v128.load64_splat (local.get $p)))
            (if (local.get $makeups) (then (local.set $m (v128.load64_splat (i32.add (local.get $makeups) (i32.shl (local.get $i) (i32.const 3)))))))))
        (local.set $big (f64x2.pmax (local.get $big) (local.get $yA)))
        (local.set $eA (f64x2.min (f64x2.max (f64x2.sub (local.get $m) (local.get $yA)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wA (f64x2.floor (local.get $eA)))
        (local.set $fA (f64x2.sub (local.get $eA) (local.get $wA)))
        (local.set $eA (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wA)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fA)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fA) (local.get $cE5))))))))))))))
        (local.set $p (i32.add (local.get $gains) (i32.shl (local.get $i) (i32.const 2))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (v128.store64_lane 0 (local.get $p) (local.get $eA)))
          (else (v128.store32_lane 0 (local.get $p) (local.get $eA))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    (local.set $a (f64x2.extract_lane 0 (local.get $big)))
    (local.set $b (f64x2.extract_lane 1 (local.get $big)))
    (select (local.get $b) (local.get $a) (f64.lt (local.get $a) (local.get $b))))

;;   transient(levels, gains, n, dbPerLog2, deadBand, span, attack, sustain): transient-shaper.ts's gain
;;     curve: lead = log2(levels[i])·dbPerLog2, amount = min(1, max(0, |lead| − deadBand)·span),
;;     gains[i] = f32(exp2(0.5·amount·((1 + sign)·attack + (1 − sign)·sustain))), sign = lead / (|lead| + 1e-30).
  (func (export "transient") (param $levels i32) (param $gains i32) (param $n i32)
    (param $db f64) (param $dead f64) (param $span f64) (param $attack f64) (param $sustain f64)
    (local $i i32) (local $p i32) (local $x v128) (local $bits v128) (local $y v128) (local $log v128)
    (local $whole v128) (local $f v128) (local $g v128) (local $lead v128) (local $size v128) (local $d v128) (local $beyond v128)
    (local $amount v128) (local $sign v128) (local $dbv v128) (local $deadv v128) (local $spanv v128) (local $av v128) (local $sv v128)
    (local.set $dbv (f64x2.splat (local.get $db)))
    (local.set $deadv (f64x2.splat (local.get $dead)))
    (local.set $spanv (f64x2.splat (local.get $span)))
    (local.set $av (f64x2.splat (local.get $attack)))
    (local.set $sv (f64x2.splat (local.get $sustain)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $levels) (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (local.set $x (v128.load (local.get $p))))
          (else (local.set $x (v128.load64_splat (local.get $p)))))
        (local.set $bits (f32x4.demote_f64x2_zero (local.get $x)))
        (local.set $y (f64x2.sub
          (f64x2.promote_low_f32x4 (v128.or (v128.and (local.get $bits) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff))
            (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)))
          (v128.const f64x2 1 1)))
        (local.set $log (f64x2.add
          (f64x2.convert_low_i32x4_s (i32x4.sub
            (v128.and (i32x4.shr_s (local.get $bits) (i32.const 23)) (v128.const i32x4 255 255 255 255))
            (v128.const i32x4 127 127 127 127)))
          (f64x2.mul (local.get $y)
            (f64x2.add (v128.const f64x2 1.4419169721349412 1.4419169721349412) (f64x2.mul (local.get $y)
              (f64x2.add (v128.const f64x2 -0.709095835088496 -0.709095835088496) (f64x2.mul (local.get $y)
                (f64x2.add (v128.const f64x2 0.4156043085773912 0.4156043085773912) (f64x2.mul (local.get $y)
                  (f64x2.add (v128.const f64x2 -0.19357371184498923 -0.19357371184498923)
                    (f64x2.mul (local.get $y) (v128.const f64x2 0.045148266221152866 0.045148266221152866))))))))))))
        (local.set $lead (f64x2.mul (local.get $log) (local.get $dbv)))
        (local.set $size (f64x2.abs (local.get $lead)))
        (local.set $d (f64x2.sub (local.get $size) (local.get $deadv)))
        (local.set $beyond (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.add (local.get $d) (f64x2.abs (local.get $d)))) (local.get $spanv)))
        (local.set $amount (f64x2.mul (v128.const f64x2 0.5 0.5)
          (f64x2.sub (f64x2.add (local.get $beyond) (v128.const f64x2 1 1)) (f64x2.abs (f64x2.sub (local.get $beyond) (v128.const f64x2 1 1))))))
        (local.set $sign (f64x2.div (local.get $lead) (f64x2.add (local.get $size) (v128.const f64x2 1e-30 1e-30))))
        (local.set $x (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $amount))
          (f64x2.add (f64x2.mul (f64x2.add (v128.const f64x2 1 1) (local.get $sign)) (local.get $av))
            (f64x2.mul (f64x2.sub (v128.const f64x2 1 1) (local.get $sign)) (local.get $sv)))))
        (local.set $x (f64x2.min (f64x2.max (local.get $x) (v128.const f64x2 -126 -126)) (v128.const f64x2 127 127)))
        (local.set $whole (f64x2.floor (local.get $x)))
        (local.set $f (f64x2.sub (local.get $x) (local.get $whole)))
        (local.set $x (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $whole)) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
          (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (local.get $f)
            (f64x2.add (v128.const f64x2 0.6931517388487415 0.6931517388487415) (f64x2.mul (local.get $f)
              (f64x2.add (v128.const f64x2 0.24015927168241857 0.24015927168241857) (f64x2.mul (local.get $f)
                (f64x2.add (v128.const f64x2 0.05581867448080831 0.05581867448080831) (f64x2.mul (local.get $f)
                  (f64x2.add (v128.const f64x2 0.008990997570300654 0.008990997570300654)
                    (f64x2.mul (local.get $f) (v128.const f64x2 0.0018793174177309524 0.0018793174177309524)))))))))))))
        (local.set $g (f32x4.demote_f64x2_zero (local.get $x)))
        (local.set $p (i32.add (local.get $gains) (i32.shl (local.get $i) (i32.const 2))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (v128.store64_lane 0 (local.get $p) (local.get $g)))
          (else (v128.store32_lane 0 (local.get $p) (local.get $g))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next))))

  ;;   compress's parameter block (f64 at byte offsets; compressor.ts writes it):
  ;;     0 knee start (detector units), 8 scale, 16 w, 24 1/(2w), 32 w/2 − threshold, 40 slope, 48 range,
  ;;     56 make-up (log2), 64 2^make-up, 72 release pole, 80 attack pole, 88 slow attack, 96 slow release,
  ;;     104 RMS pole p, 112 1 − p, 120 largest reduction so far (updated), 128 envelope peak, 136 slow,
  ;;     144 value (updated), 160 the two RMS mean squares (f64x2, updated), 208 peak and 216 value one
  ;;     sample earlier, 224 the last target (updated);
  ;;     i32: 176 levels buffer (f64 × n), 180 gains buffer (f32 × n), 184 flags (1 RMS, 2 auto release),
  ;;     188 look-ahead frames, 192 look-ahead position (updated), 196 left line, 200 right line.
  (func $compress (export "compress") (param $p i32) (param $detL i32) (param $detR i32) (param $outL i32) (param $outR i32) (param $n i32)
    (local $i i32) (local $end i32) (local $lv i32) (local $flags i32) (local $latency i32)
    (local $peak f64) (local $v f64) (local $w f64) (local $t f64) (local $a f64) (local $b f64)
    (local $vEp v128) (local $vYp v128) (local $vTl v128) (local $vTp v128) (local $vC v128) (local $vD v128) (local $vPp v128) (local $vQ2 v128) (local $vR2 v128) (local $vA2 v128) (local $vK v128)
    (local $vw v128) (local $vR v128) (local $vA v128) (local $vR1 v128) (local $vA1 v128) (local $vF v128) (local $vE v128) (local $vY v128) (local $vT v128) (local $vM v128) (local $vS v128) (local $vSA v128) (local $vSR v128) (local $vSA1 v128) (local $vSR1 v128) (local $vQ v128) (local $pp v128) (local $qq v128) (local $s v128) (local $m v128) (local $x v128) (local $z v128) (local $peakv v128)
    (local $big v128) (local $mk v128) (local $g v128) (local $eA v128) (local $wA v128) (local $fA v128) (local $eB v128) (local $wB v128) (local $fB v128) (local $eC v128) (local $wC v128) (local $fC v128) (local $eD v128) (local $wD v128) (local $fD v128) (local $yC v128) (local $yD v128)
    (local $cLO v128) (local $cHI v128) (local $cB127 v128) (local $cONE v128) (local $cE1 v128) (local $cE2 v128) (local $cE3 v128) (local $cE4 v128) (local $cE5 v128) (local $cHALF v128) (local $cFLOOR v128)
    (local.set $cHALF (global.get $HALF))
    (local.set $cFLOOR (global.get $FLOOR))
    (local.set $lv (i32.load offset=176 (local.get $p)))
    (local.set $flags (i32.load offset=184 (local.get $p)))
    (local.set $latency (i32.load offset=188 (local.get $p)))
    ;; Detector values into levels; $peak: their maximum.
    (if (i32.and (local.get $flags) (i32.const 1))
      (then
        ;; RMS, both channels' mean squares in one f64x2: v = p·v + (1 − p)·s·s, flushed below 1e-30;
        ;; the level is max2(v, w) = 0.5·(v + w + |v − w|).
        (local.set $vw (v128.load offset=160 (local.get $p)))
        (local.set $pp (v128.load64_splat offset=104 (local.get $p)))
        (local.set $qq (v128.load64_splat offset=112 (local.get $p)))
        (local.set $end (i32.shl (local.get $n) (i32.const 2)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $s (f64x2.promote_low_f32x4 (v128.load32_lane 1 (i32.add (local.get $detR) (local.get $i))
              (v128.load32_zero (i32.add (local.get $detL) (local.get $i))))))
            (local.set $vw (f64x2.add (f64x2.mul (local.get $pp) (local.get $vw)) (f64x2.mul (f64x2.mul (local.get $qq) (local.get $s)) (local.get $s))))
            (local.set $m (f64x2.lt (local.get $vw) (local.get $cFLOOR)))
            (if (v128.any_true (local.get $m)) (then (local.set $vw (v128.andnot (local.get $vw) (local.get $m)))))
            (local.set $v (f64x2.extract_lane 0 (local.get $vw)))
            (local.set $w (f64x2.extract_lane 1 (local.get $vw)))
            (local.set $t (f64.mul (f64.const 0.5) (f64.add (f64.add (local.get $v) (local.get $w)) (f64.abs (f64.sub (local.get $v) (local.get $w))))))
            (f64.store (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 1))) (local.get $t))
            (if (f64.gt (local.get $t) (local.get $peak)) (then (local.set $peak (local.get $t))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))
        (v128.store offset=160 (local.get $p) (local.get $vw)))
      (else
        ;; Peak: max2(|left|, |right|) = 0.5·(a + b + |a − b|), two frames per f64x2, four per turn, then pairs,
        ;; then an odd last frame.
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
            (local.set $x (f32x4.abs (v128.load (i32.add (local.get $detL) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $z (f32x4.abs (v128.load (i32.add (local.get $detR) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $m (f64x2.promote_low_f32x4 (local.get $x)))
            (local.set $s (f64x2.promote_low_f32x4 (local.get $z)))
            (local.set $m (f64x2.mul (local.get $cHALF) (f64x2.add (f64x2.add (local.get $m) (local.get $s)) (f64x2.abs (f64x2.sub (local.get $m) (local.get $s))))))
            (v128.store (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))) (local.get $m))
            (local.set $peakv (f64x2.pmax (local.get $peakv) (local.get $m)))
            (local.set $m (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
            (local.set $s (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z) (local.get $z))))
            (local.set $m (f64x2.mul (local.get $cHALF) (f64x2.add (f64x2.add (local.get $m) (local.get $s)) (f64x2.abs (f64x2.sub (local.get $m) (local.get $s))))))
            (v128.store offset=16 (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))) (local.get $m))
            (local.set $peakv (f64x2.pmax (local.get $peakv) (local.get $m)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
              (then
                (local.set $x (f64x2.abs (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $detL) (i32.shl (local.get $i) (i32.const 2)))))))
                (local.set $z (f64x2.abs (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $detR) (i32.shl (local.get $i) (i32.const 2))))))))
              (else
                (local.set $x (f64x2.abs (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $detL) (i32.shl (local.get $i) (i32.const 2)))))))
                (local.set $z (f64x2.abs (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $detR) (i32.shl (local.get $i) (i32.const 2)))))))))
            (local.set $x (f64x2.mul (local.get $cHALF)
              (f64x2.add (f64x2.add (local.get $x) (local.get $z)) (f64x2.abs (f64x2.sub (local.get $x) (local.get $z))))))
            (local.set $peakv (f64x2.pmax (local.get $peakv) (local.get $x)))
            (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
              (then (v128.store (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))) (local.get $x)))
              (else (v128.store64_lane 0 (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))) (local.get $x))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $next)))
        (local.set $a (f64x2.extract_lane 0 (local.get $peakv)))
        (local.set $b (f64x2.extract_lane 1 (local.get $peakv)))
        (local.set $peak (select (local.get $b) (local.get $a) (f64.lt (local.get $a) (local.get $b))))))
    ;; Below the knee (or ratio 1) every target is 0: at rest, the gains are the make-up alone.
    (if (i32.or (i32.eqz (f64.gt (local.get $peak) (f64.load (local.get $p)))) (f64.eq (f64.load offset=40 (local.get $p)) (f64.const 0)))
      (then
        (if (i32.and (i32.and (i32.and (f64.eq (f64.load offset=128 (local.get $p)) (f64.const 0)) (f64.eq (f64.load offset=144 (local.get $p)) (f64.const 0)))
              (i32.and (f64.eq (f64.load offset=136 (local.get $p)) (f64.const 0)) (f64.eq (f64.load offset=208 (local.get $p)) (f64.const 0))))
              (i32.and (f64.eq (f64.load offset=216 (local.get $p)) (f64.const 0)) (f64.eq (f64.load offset=224 (local.get $p)) (f64.const 0))))
          (then
            (if (i32.and (f64.eq (f64.load offset=64 (local.get $p)) (f64.const 1)) (i32.eqz (local.get $latency))) (then (return)))
            (call $fill (i32.load offset=180 (local.get $p)) (local.get $n) (f32.demote_f64 (f64.load offset=64 (local.get $p))))
            (call $apply (local.get $p) (local.get $outL) (local.get $outR) (local.get $n))
            (return)))
        (memory.fill (local.get $lv) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))))
      (else
        (call $curve (local.get $lv) (local.get $lv) (local.get $n) (f64.load offset=8 (local.get $p)) (f64.load offset=16 (local.get $p))
          (f64.load offset=24 (local.get $p)) (f64.load offset=32 (local.get $p)) (f64.load offset=40 (local.get $p)) (f64.load offset=48 (local.get $p)))))
    ;; The envelope (envelope.ts ReductionEnvelope.run), in place over the targets. "if (t > p) p = t" is
    ;; pmax(p, t) and "if (y > p) y = p" is pmin(y, p), one instruction each and exact, where a branch
    ;; would mispredict on noisy targets. Plain: the two-step recursion, samples n and n + 1 side by side
    ;; in an f64x2 (each from the one two back: two independent chains, half as long as one recursion;
    ;; an odd last sample alone in lane 0), state [p n-2, p n-1], [y n-2, y n-1] and the last target in
    ;; lane 1 of $vTl. Auto release: one step per sample in lane 0, the slow detector's two poles both
    ;; stepped and the one its branch picks selected; it keeps the other chain's state current too.
    (local.set $vR (v128.load64_splat offset=72 (local.get $p)))
    (local.set $vA (v128.load64_splat offset=80 (local.get $p)))
    (local.set $vR1 (f64x2.sub (global.get $ONE) (local.get $vR)))
    (local.set $vA1 (f64x2.sub (global.get $ONE) (local.get $vA)))
    (local.set $vF (global.get $FLOOR9))
    (local.set $vE (v128.load64_splat offset=128 (local.get $p)))
    (local.set $vY (v128.load64_splat offset=144 (local.get $p)))
    (local.set $vEp (v128.load64_splat offset=208 (local.get $p)))
    (local.set $vYp (v128.load64_splat offset=216 (local.get $p)))
    (local.set $vTl (v128.load64_splat offset=224 (local.get $p)))
    (local.set $end (i32.add (local.get $lv) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $i (local.get $lv))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $vSA (v128.load64_splat offset=88 (local.get $p)))
        (local.set $vSR (v128.load64_splat offset=96 (local.get $p)))
        (local.set $vSA1 (f64x2.sub (global.get $ONE) (local.get $vSA)))
        (local.set $vSR1 (f64x2.sub (global.get $ONE) (local.get $vSR)))
        (local.set $vS (v128.load64_splat offset=136 (local.get $p)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $vT (v128.load64_splat (local.get $i)))
            (local.set $vEp (local.get $vE))
            (local.set $vE (f64x2.pmax (f64x2.add (f64x2.mul (local.get $vR) (local.get $vE)) (f64x2.mul (local.get $vR1) (local.get $vT))) (local.get $vT)))
            (local.set $vM (f64x2.lt (local.get $vE) (local.get $vF)))
            (if (v128.any_true (local.get $vM)) (then (local.set $vE (v128.andnot (local.get $vE) (local.get $vM)))))
            (local.set $vS (v128.bitselect
              (f64x2.add (f64x2.mul (local.get $vSA) (local.get $vS)) (f64x2.mul (local.get $vSA1) (local.get $vT)))
              (f64x2.add (f64x2.mul (local.get $vSR) (local.get $vS)) (f64x2.mul (local.get $vSR1) (local.get $vT)))
              (f64x2.gt (local.get $vT) (local.get $vS))))
            (local.set $vM (f64x2.lt (local.get $vS) (local.get $vF)))
            (if (v128.any_true (local.get $vM)) (then (local.set $vS (v128.andnot (local.get $vS) (local.get $vM)))))
            (local.set $vQ (f64x2.pmax (local.get $vS) (local.get $vE)))
            (local.set $vYp (local.get $vY))
            (local.set $vY (f64x2.pmin (f64x2.add (f64x2.mul (local.get $vA) (local.get $vY)) (f64x2.mul (local.get $vA1) (local.get $vQ))) (local.get $vQ)))
            (v128.store64_lane 0 (local.get $i) (local.get $vY))
            (local.set $vTl (local.get $vT))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $next)))
        (v128.store64_lane offset=136 0 (local.get $p) (local.get $vS))
        (v128.store64_lane offset=128 0 (local.get $p) (local.get $vE))
        (v128.store64_lane offset=144 0 (local.get $p) (local.get $vY))
        (v128.store64_lane offset=208 0 (local.get $p) (local.get $vEp))
        (v128.store64_lane offset=216 0 (local.get $p) (local.get $vYp))
        (v128.store64_lane offset=224 0 (local.get $p) (local.get $vTl)))
      (else
        ;; q = r2·P[n-2] + (r·(r1·t[n-1]) + r1·t[n]); q = max(q, r·t[n-1] + r1·t[n]); q = max(q, t[n]); flushed;
        ;; d = a1·q; y = a2·Y[n-2] + (k·P[n-1] + d); y = min(y, a·P[n-1] + d); y = min(y, q)
        (local.set $vR2 (f64x2.mul (local.get $vR) (local.get $vR)))
        (local.set $vA2 (f64x2.mul (local.get $vA) (local.get $vA)))
        (local.set $vK (f64x2.mul (local.get $vA) (local.get $vA1)))
        ;; pairs: $vE2 = [P n-2, P n-1], $vY2 = [Y n-2, Y n-1]
        (local.set $vE (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $vEp) (local.get $vE)))
        (local.set $vY (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $vYp) (local.get $vY)))
        (local.set $vT (v128.const f64x2 0 0))
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
            (local.set $vT (v128.load (local.get $i)))
            ;; [t n-1, t n]
            (local.set $vTp (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $vTl) (local.get $vT)))
            (local.set $vC (f64x2.mul (local.get $vR1) (local.get $vT)))
            (local.set $vQ (f64x2.add (f64x2.mul (local.get $vR2) (local.get $vE))
              (f64x2.add (f64x2.mul (local.get $vR) (f64x2.mul (local.get $vR1) (local.get $vTp))) (local.get $vC))))
            (local.set $vQ (f64x2.pmax (f64x2.pmax (local.get $vQ) (f64x2.add (f64x2.mul (local.get $vR) (local.get $vTp)) (local.get $vC))) (local.get $vT)))
            (local.set $vM (f64x2.lt (local.get $vQ) (local.get $vF)))
            (if (v128.any_true (local.get $vM)) (then (local.set $vQ (v128.andnot (local.get $vQ) (local.get $vM)))))
            ;; [P n-1, P n]
            (local.set $vPp (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $vE) (local.get $vQ)))
            (local.set $vD (f64x2.mul (local.get $vA1) (local.get $vQ)))
            (local.set $vY (f64x2.pmin (f64x2.pmin
              (f64x2.add (f64x2.mul (local.get $vA2) (local.get $vY)) (f64x2.add (f64x2.mul (local.get $vK) (local.get $vPp)) (local.get $vD)))
              (f64x2.add (f64x2.mul (local.get $vA) (local.get $vPp)) (local.get $vD))) (local.get $vQ)))
            (v128.store (local.get $i) (local.get $vY))
            (local.set $vE (local.get $vQ))
            (local.set $vTl (local.get $vT))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $next)))
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            ;; an odd last sample, in lane 0
            (local.set $vT (v128.load64_splat (local.get $i)))
            (local.set $vTp (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $vTl) (local.get $vT)))
            (local.set $vC (f64x2.mul (local.get $vR1) (local.get $vT)))
            (local.set $vQ (f64x2.add (f64x2.mul (local.get $vR2) (local.get $vE))
              (f64x2.add (f64x2.mul (local.get $vR) (f64x2.mul (local.get $vR1) (local.get $vTp))) (local.get $vC))))
            (local.set $vQ (f64x2.pmax (f64x2.pmax (local.get $vQ) (f64x2.add (f64x2.mul (local.get $vR) (local.get $vTp)) (local.get $vC))) (local.get $vT)))
            (local.set $vM (f64x2.lt (local.get $vQ) (local.get $vF)))
            (if (v128.any_true (local.get $vM)) (then (local.set $vQ (v128.andnot (local.get $vQ) (local.get $vM)))))
            (local.set $vPp (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $vE) (local.get $vQ)))
            (local.set $vD (f64x2.mul (local.get $vA1) (local.get $vQ)))
            (local.set $vQ2 (f64x2.pmin (f64x2.pmin
              (f64x2.add (f64x2.mul (local.get $vA2) (local.get $vY)) (f64x2.add (f64x2.mul (local.get $vK) (local.get $vPp)) (local.get $vD)))
              (f64x2.add (f64x2.mul (local.get $vA) (local.get $vPp)) (local.get $vD))) (local.get $vQ)))
            (v128.store64_lane 0 (local.get $i) (local.get $vQ2))
            ;; the pairs move on by one: [P n-1, P n], [Y n-1, Y n]
            (local.set $vE (local.get $vPp))
            (local.set $vY (i8x16.shuffle 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 (local.get $vY) (local.get $vQ2)))
            (local.set $vTl (local.get $vT))))
        (v128.store64_lane offset=208 0 (local.get $p) (local.get $vE))
        (v128.store64_lane offset=128 1 (local.get $p) (local.get $vE))
        (v128.store64_lane offset=216 0 (local.get $p) (local.get $vY))
        (v128.store64_lane offset=144 1 (local.get $p) (local.get $vY))
        (v128.store64_lane offset=224 1 (local.get $p) (local.get $vTl))))
    (if (local.get $latency)
      (then
        (f64.store offset=120 (local.get $p) (call $gains (local.get $lv) (i32.const 0) (i32.load offset=180 (local.get $p)) (local.get $n)
          (f64.load offset=56 (local.get $p)) (f64.load offset=120 (local.get $p))))
        (call $apply (local.get $p) (local.get $outL) (local.get $outR) (local.get $n))
        (return)))
    ;; No look-ahead: gains (as $gains) and the audio times the gains in one pass, eight frames per turn
    ;; (four chains), then pairs, then an odd last one.
    (local.set $cLO (global.get $LO))
    (local.set $cHI (global.get $HI))
    (local.set $cB127 (global.get $B127))
    (local.set $cONE (global.get $ONE))
    (local.set $cE1 (global.get $E1))
    (local.set $cE2 (global.get $E2))
    (local.set $cE3 (global.get $E3))
    (local.set $cE4 (global.get $E4))
    (local.set $cE5 (global.get $E5))
    (local.set $mk (v128.load64_splat offset=56 (local.get $p)))
    (local.set $big (v128.load64_splat offset=120 (local.get $p)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $n)))
        (local.set $end (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $z (v128.load (local.get $end)))
        (local.set $x (v128.load offset=16 (local.get $end)))
        (local.set $yC (v128.load offset=32 (local.get $end)))
        (local.set $yD (v128.load offset=48 (local.get $end)))
        (local.set $big (f64x2.pmax (f64x2.pmax (f64x2.pmax (f64x2.pmax (local.get $big) (local.get $z)) (local.get $x)) (local.get $yC)) (local.get $yD)))
        (local.set $eA (f64x2.min (f64x2.max (f64x2.sub (local.get $mk) (local.get $z)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wA (f64x2.floor (local.get $eA)))
        (local.set $fA (f64x2.sub (local.get $eA) (local.get $wA)))
        (local.set $eA (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wA)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fA)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fA) (local.get $cE5))))))))))))))
        (local.set $eB (f64x2.min (f64x2.max (f64x2.sub (local.get $mk) (local.get $x)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wB (f64x2.floor (local.get $eB)))
        (local.set $fB (f64x2.sub (local.get $eB) (local.get $wB)))
        (local.set $eB (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wB)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fB)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fB) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fB) (local.get $cE5))))))))))))))
        (local.set $eC (f64x2.min (f64x2.max (f64x2.sub (local.get $mk) (local.get $yC)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wC (f64x2.floor (local.get $eC)))
        (local.set $fC (f64x2.sub (local.get $eC) (local.get $wC)))
        (local.set $eC (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wC)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fC) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fC) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fC)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fC) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fC) (local.get $cE5))))))))))))))
        (local.set $eD (f64x2.min (f64x2.max (f64x2.sub (local.get $mk) (local.get $yD)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wD (f64x2.floor (local.get $eD)))
        (local.set $fD (f64x2.sub (local.get $eD) (local.get $wD)))
        (local.set $eD (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wD)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fD) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fD) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fD)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fD) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fD) (local.get $cE5))))))))))))))
        (local.set $g (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $eA) (local.get $eB)))
        (local.set $eC (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $eC) (local.get $eD)))
        (local.set $end (i32.add (local.get $outL) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $end) (f32x4.mul (v128.load (local.get $end)) (local.get $g)))
        (v128.store offset=16 (local.get $end) (f32x4.mul (v128.load offset=16 (local.get $end)) (local.get $eC)))
        (local.set $end (i32.add (local.get $outR) (i32.shl (local.get $i) (i32.const 2))))
        (v128.store (local.get $end) (f32x4.mul (v128.load (local.get $end)) (local.get $g)))
        (v128.store offset=16 (local.get $end) (f32x4.mul (v128.load offset=16 (local.get $end)) (local.get $eC)))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (local.set $z (v128.load (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))))))
          (else (local.set $z (v128.load64_splat (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $big (f64x2.pmax (local.get $big) (local.get $z)))
        (local.set $eA (f64x2.min (f64x2.max (f64x2.sub (local.get $mk) (local.get $z)) (local.get $cLO)) (local.get $cHI)))
        (local.set $wA (f64x2.floor (local.get $eA)))
        (local.set $fA (f64x2.sub (local.get $eA) (local.get $wA)))
        (local.set $eA (f32x4.demote_f64x2_zero (f64x2.mul
          (f64x2.promote_low_f32x4 (i32x4.shl (i32x4.add (i32x4.trunc_sat_f64x2_s_zero (local.get $wA)) (local.get $cB127)) (i32.const 23)))
          (f64x2.add (local.get $cONE) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE1) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE2) (f64x2.mul (local.get $fA)
            (f64x2.add (local.get $cE3) (f64x2.mul (local.get $fA) (f64x2.add (local.get $cE4) (f64x2.mul (local.get $fA) (local.get $cE5))))))))))))))
        (local.set $g (local.get $eA))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then
            (local.set $end (i32.add (local.get $outL) (i32.shl (local.get $i) (i32.const 2))))
            (v128.store64_lane 0 (local.get $end) (f32x4.mul (v128.load64_zero (local.get $end)) (local.get $g)))
            (local.set $end (i32.add (local.get $outR) (i32.shl (local.get $i) (i32.const 2))))
            (v128.store64_lane 0 (local.get $end) (f32x4.mul (v128.load64_zero (local.get $end)) (local.get $g))))
          (else
            (local.set $end (i32.add (local.get $outL) (i32.shl (local.get $i) (i32.const 2))))
            (v128.store32_lane 0 (local.get $end) (f32x4.mul (v128.load32_zero (local.get $end)) (local.get $g)))
            (local.set $end (i32.add (local.get $outR) (i32.shl (local.get $i) (i32.const 2))))
            (v128.store32_lane 0 (local.get $end) (f32x4.mul (v128.load32_zero (local.get $end)) (local.get $g)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next)))
    (local.set $a (f64x2.extract_lane 0 (local.get $big)))
    (local.set $b (f64x2.extract_lane 1 (local.get $big)))
    (f64.store offset=120 (local.get $p) (select (local.get $b) (local.get $a) (f64.lt (local.get $a) (local.get $b)))))


  ;; compressRun(params, detL, detR, outL, outR, frames, first): compress() over `frames` frames chunk by chunk
  ;; (the first chunk `first` frames long, the others 256, as compressor.ts cuts them), for a run of chunks
  ;; that all share one settled envelope.
  (func (export "compressRun") (param $p i32) (param $detL i32) (param $detR i32) (param $outL i32) (param $outR i32) (param $frames i32) (param $first i32)
    (local $n i32) (local $at i32)
    (local.set $n (local.get $first))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $frames)))
        (if (i32.gt_u (local.get $n) (i32.sub (local.get $frames) (local.get $at))) (then (local.set $n (i32.sub (local.get $frames) (local.get $at)))))
        (call $compress (local.get $p) (i32.add (local.get $detL) (i32.shl (local.get $at) (i32.const 2))) (i32.add (local.get $detR) (i32.shl (local.get $at) (i32.const 2)))
          (i32.add (local.get $outL) (i32.shl (local.get $at) (i32.const 2))) (i32.add (local.get $outR) (i32.shl (local.get $at) (i32.const 2))) (local.get $n))
        (local.set $at (i32.add (local.get $at) (local.get $n)))
        (local.set $n (i32.const 256))
        (br $next))))

  ;; gains[0, n) = g
  (func $fill (param $gains i32) (param $n i32) (param $g f32)
    (local $end i32)
    (local.set $end (i32.add (local.get $gains) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $gains) (local.get $end)))
        (f32.store (local.get $gains) (local.get $g))
        (local.set $gains (i32.add (local.get $gains) (i32.const 4)))
        (br $next))))

  ;; lookahead.ts LookaheadGain.apply for two channels sharing one gain curve (the gains buffer of the
  ;; parameter block): with look-ahead, out = line × gain while the line takes the input; without, out ×= gain.
  (func $apply (param $p i32) (param $outL i32) (param $outR i32) (param $n i32)
    (local $gains i32) (local $latency i32) (local $position i32) (local $c i32) (local $x i32) (local $line i32) (local $i i32) (local $at i32) (local $d f32)
    (local.set $gains (i32.load offset=180 (local.get $p)))
    (local.set $latency (i32.load offset=188 (local.get $p)))
    (if (i32.eqz (local.get $latency))
      (then
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (local.set $x (i32.add (local.get $outL) (local.get $at)))
            (f32.store (local.get $x) (f32.mul (f32.load (local.get $x)) (f32.load (i32.add (local.get $gains) (local.get $at)))))
            (local.set $x (i32.add (local.get $outR) (local.get $at)))
            (f32.store (local.get $x) (f32.mul (f32.load (local.get $x)) (f32.load (i32.add (local.get $gains) (local.get $at)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (return)))
    (block $channels
      (loop $channel
        (br_if $channels (i32.ge_u (local.get $c) (i32.const 2)))
        (local.set $x (select (local.get $outR) (local.get $outL) (local.get $c)))
        (local.set $line (select (i32.load offset=200 (local.get $p)) (i32.load offset=196 (local.get $p)) (local.get $c)))
        (local.set $position (i32.load offset=192 (local.get $p)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $at (i32.add (local.get $line) (i32.shl (local.get $position) (i32.const 2))))
            (local.set $d (f32.load (local.get $at)))
            (f32.store (local.get $at) (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
            (f32.store (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))
              (f32.mul (local.get $d) (f32.load (i32.add (local.get $gains) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $position (i32.add (local.get $position) (i32.const 1)))
            (if (i32.eq (local.get $position) (local.get $latency)) (then (local.set $position (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channel)))
    (i32.store offset=192 (local.get $p) (local.get $position)))

  ;; out = f32(a + b) (subtract: a - b), flushed to 0 where |out| < 1e-30, four frames per f32x4: the f32 sum
  ;; is the f64 sum rounded (exact: 53 >= 2 x 24 + 2), and 1e-30 as an f32 constant is the smallest f32 at
  ;; or above 1e-30, so the f32 comparison flushes exactly the values the JS path's f64 one does. (b's sign
  ;; flips exactly, as an f32 sign bit: a - b is the same sum.)
  (func (export "sum") (param $aL i32) (param $aR i32) (param $bL i32) (param $bR i32) (param $outL i32) (param $outR i32) (param $n i32) (param $subtract i32)
    (local $i i32) (local $c i32) (local $a i32) (local $b i32) (local $o i32) (local $at i32) (local $v v128) (local $floor v128) (local $sign v128)
    (local.set $floor (v128.const f32x4 1e-30 1e-30 1e-30 1e-30))
    (local.set $sign (select (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000) (v128.const i32x4 0 0 0 0) (local.get $subtract)))
    (block $channels
      (loop $channel
        (br_if $channels (i32.ge_u (local.get $c) (i32.const 2)))
        (local.set $a (select (local.get $aR) (local.get $aL) (local.get $c)))
        (local.set $b (select (local.get $bR) (local.get $bL) (local.get $c)))
        (local.set $o (select (local.get $outR) (local.get $outL) (local.get $c)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (local.set $v (f32x4.add (v128.load (i32.add (local.get $a) (local.get $at)))
              (v128.xor (v128.load (i32.add (local.get $b) (local.get $at))) (local.get $sign))))
            (v128.store (i32.add (local.get $o) (local.get $at))
              (v128.andnot (local.get $v) (f32x4.lt (f32x4.abs (local.get $v)) (local.get $floor))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (local.set $v (f32x4.add (v128.load32_zero (i32.add (local.get $a) (local.get $at)))
              (v128.xor (v128.load32_zero (i32.add (local.get $b) (local.get $at))) (local.get $sign))))
            (v128.store32_lane 0 (i32.add (local.get $o) (local.get $at))
              (v128.andnot (local.get $v) (f32x4.lt (f32x4.abs (local.get $v)) (local.get $floor))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channel))))
)
