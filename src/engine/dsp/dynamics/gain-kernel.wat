;; The compressor's per-sample curves (gain-kernel.ts), WebAssembly SIMD, two samples per f64x2, on an
;; imported memory (utility/kernel-heap.ts):
;;   curve(levels, out, n, scale, w, inverseTwoW, offset, slope, range): gain-computer.ts softKneeCurve
;;     with fast-math.ts fastLog2 (x rounded to f32, exponent + y·P(y) on the mantissa);
;;   gains(reduction, makeups, gains, n, makeup, largest) -> largest: gains[i] = f32(fastExp2(m − r[i]))
;;     with m = makeup, or makeups[i] when `makeups` is not 0; returns max(largest, r[0..n)) as the JS
;;     running maximum does (a NaN never wins).
;;   compress(params, detL, detR, outL, outR, n): one chunk of a stereo compressor whose channels share
;;     one envelope (stereo link 1, no parameter gliding): detector, gain computer, envelope, gains and
;;     the (delayed) audio times the gains, as compressor.ts's run() does it in JS (see below);
;;   sum(aL, aR, bL, bR, outL, outR, n, roundFirst): out = a + b with the denormal flush, the bands'
;;     sum of the de-esser (flush, then f32) and of the multiband compressor (f32, then flush).
;; Every lane does the JS path's operations in the same order (no fused multiply-add): bit-identical.
;; One loop over pairs of samples; an odd last sample goes through lane 0 alone (splat load, one-lane store).
;; The helpers are written inline (V8 does not inline wasm calls, and v128 arguments are costly).
(module
  (import "env" "memory" (memory 1))

  ;; min2(slope·(inKnee²·inverseTwoW + max(0, z − w)), range), z = scale·log2(level) + offset.
  (func $curve (export "curve") (param $levels i32) (param $out i32) (param $n i32)
    (param $scale f64) (param $w f64) (param $inv f64) (param $offset f64) (param $slope f64) (param $range f64)
    (local $i i32) (local $p i32) (local $q i32) (local $s v128) (local $wv v128) (local $iv v128) (local $o v128) (local $k v128) (local $r v128)
    (local $x v128) (local $bits v128) (local $y v128) (local $log v128)
    (local $z v128) (local $zw v128) (local $abs v128) (local $below v128) (local $in v128) (local $a v128)
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $wv (f64x2.splat (local.get $w)))
    (local.set $iv (f64x2.splat (local.get $inv)))
    (local.set $o (f64x2.splat (local.get $offset)))
    (local.set $k (f64x2.splat (local.get $slope)))
    (local.set $r (f64x2.splat (local.get $range)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $levels) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
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
        (local.set $z (f64x2.add (f64x2.mul (local.get $s) (local.get $log)) (local.get $o)))
        (local.set $zw (f64x2.sub (local.get $z) (local.get $wv)))
        (local.set $abs (f64x2.abs (local.get $zw)))
        (local.set $below (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.sub (f64x2.add (local.get $z) (local.get $wv)) (local.get $abs))))
        (local.set $in (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.add (local.get $below) (f64x2.abs (local.get $below)))))
        (local.set $a (f64x2.mul (local.get $k)
          (f64x2.add (f64x2.mul (f64x2.mul (local.get $in) (local.get $in)) (local.get $iv))
            (f64x2.mul (v128.const f64x2 0.5 0.5) (f64x2.add (local.get $zw) (local.get $abs))))))
        (local.set $a (f64x2.mul (v128.const f64x2 0.5 0.5)
          (f64x2.sub (f64x2.add (local.get $a) (local.get $r)) (f64x2.abs (f64x2.sub (local.get $a) (local.get $r))))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (v128.store (local.get $q) (local.get $a)))
          (else (v128.store64_lane 0 (local.get $q) (local.get $a))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $next))))

  (func $gains (export "gains") (param $red i32) (param $makeups i32) (param $gains i32) (param $n i32) (param $makeup f64) (param $largest f64) (result f64)
    (local $i i32) (local $p i32) (local $y v128) (local $m v128) (local $big v128) (local $a f64) (local $b f64)
    (local $x v128) (local $whole v128) (local $f v128) (local $g v128)
    (local.set $m (f64x2.splat (local.get $makeup)))
    (local.set $big (f64x2.splat (local.get $largest)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $p (i32.add (local.get $red) (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then
            (local.set $y (v128.load (local.get $p)))
            (if (local.get $makeups) (then (local.set $m (v128.load (i32.add (local.get $makeups) (i32.shl (local.get $i) (i32.const 3))))))))
          (else
            (local.set $y (v128.load64_splat (local.get $p)))
            (if (local.get $makeups) (then (local.set $m (v128.load64_splat (i32.add (local.get $makeups) (i32.shl (local.get $i) (i32.const 3)))))))))
        (local.set $big (f64x2.pmax (local.get $big) (local.get $y)))
        (local.set $x (f64x2.sub (local.get $m) (local.get $y)))
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
;;     144 value (updated), 160 the two RMS mean squares (f64x2, updated);
;;     i32: 176 levels buffer (f64 × n), 180 gains buffer (f32 × n), 184 flags (1 RMS, 2 auto release),
;;     188 look-ahead frames, 192 look-ahead position (updated), 196 left line, 200 right line.
  (func (export "compress") (param $p i32) (param $detL i32) (param $detR i32) (param $outL i32) (param $outR i32) (param $n i32)
    (local $i i32) (local $end i32) (local $lv i32) (local $flags i32) (local $latency i32)
    (local $peak f64) (local $v f64) (local $w f64) (local $t f64) (local $e f64) (local $y f64) (local $slow f64) (local $q f64) (local $pole f64)
    (local $release f64) (local $release1 f64) (local $attack f64) (local $attack1 f64) (local $slowAttack f64) (local $slowRelease f64) (local $a f64) (local $b f64)
    (local $vw v128) (local $pp v128) (local $qq v128) (local $s v128) (local $m v128) (local $x v128) (local $z v128) (local $peakv v128)
    (local $big v128) (local $mk v128) (local $whole v128) (local $f v128) (local $g v128)
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
            (local.set $m (f64x2.lt (local.get $vw) (v128.const f64x2 1e-30 1e-30)))
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
        ;; Peak: max2(|left|, |right|) = 0.5·(a + b + |a − b|), two frames per f64x2.
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
            (local.set $x (f64x2.mul (v128.const f64x2 0.5 0.5)
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
        (if (i32.and (i32.and (f64.eq (f64.load offset=128 (local.get $p)) (f64.const 0)) (f64.eq (f64.load offset=144 (local.get $p)) (f64.const 0)))
              (f64.eq (f64.load offset=136 (local.get $p)) (f64.const 0)))
          (then
            (if (i32.and (f64.eq (f64.load offset=64 (local.get $p)) (f64.const 1)) (i32.eqz (local.get $latency))) (then (return)))
            (call $fill (i32.load offset=180 (local.get $p)) (local.get $n) (f32.demote_f64 (f64.load offset=64 (local.get $p))))
            (call $apply (local.get $p) (local.get $outL) (local.get $outR) (local.get $n))
            (return)))
        (memory.fill (local.get $lv) (i32.const 0) (i32.shl (local.get $n) (i32.const 3))))
      (else
        (call $curve (local.get $lv) (local.get $lv) (local.get $n) (f64.load offset=8 (local.get $p)) (f64.load offset=16 (local.get $p))
          (f64.load offset=24 (local.get $p)) (f64.load offset=32 (local.get $p)) (f64.load offset=40 (local.get $p)) (f64.load offset=48 (local.get $p)))))
    ;; The envelope (envelope.ts ReductionEnvelope.run), in place over the targets.
    (local.set $release (f64.load offset=72 (local.get $p)))
    (local.set $attack (f64.load offset=80 (local.get $p)))
    (local.set $release1 (f64.sub (f64.const 1) (local.get $release)))
    (local.set $attack1 (f64.sub (f64.const 1) (local.get $attack)))
    (local.set $e (f64.load offset=128 (local.get $p)))
    (local.set $y (f64.load offset=144 (local.get $p)))
    (local.set $end (i32.add (local.get $lv) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $i (local.get $lv))
    (if (i32.and (local.get $flags) (i32.const 2))
      (then
        (local.set $slowAttack (f64.load offset=88 (local.get $p)))
        (local.set $slowRelease (f64.load offset=96 (local.get $p)))
        (local.set $slow (f64.load offset=136 (local.get $p)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $t (f64.load (local.get $i)))
            (local.set $e (f64.add (f64.mul (local.get $release) (local.get $e)) (f64.mul (local.get $release1) (local.get $t))))
            (if (f64.gt (local.get $t) (local.get $e)) (then (local.set $e (local.get $t))))
            (if (f64.lt (local.get $e) (f64.const 1e-9)) (then (local.set $e (f64.const 0))))
            (local.set $pole (select (local.get $slowAttack) (local.get $slowRelease) (f64.gt (local.get $t) (local.get $slow))))
            (local.set $slow (f64.add (f64.mul (local.get $pole) (local.get $slow)) (f64.mul (f64.sub (f64.const 1) (local.get $pole)) (local.get $t))))
            (if (f64.lt (local.get $slow) (f64.const 1e-9)) (then (local.set $slow (f64.const 0))))
            (local.set $q (select (local.get $e) (local.get $slow) (f64.gt (local.get $e) (local.get $slow))))
            (local.set $y (f64.add (f64.mul (local.get $attack) (local.get $y)) (f64.mul (local.get $attack1) (local.get $q))))
            (if (f64.gt (local.get $y) (local.get $q)) (then (local.set $y (local.get $q))))
            (f64.store (local.get $i) (local.get $y))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $next)))
        (f64.store offset=136 (local.get $p) (local.get $slow)))
      (else
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $t (f64.load (local.get $i)))
            (local.set $e (f64.add (f64.mul (local.get $release) (local.get $e)) (f64.mul (local.get $release1) (local.get $t))))
            (if (f64.gt (local.get $t) (local.get $e)) (then (local.set $e (local.get $t))))
            (if (f64.lt (local.get $e) (f64.const 1e-9)) (then (local.set $e (f64.const 0))))
            (local.set $y (f64.add (f64.mul (local.get $attack) (local.get $y)) (f64.mul (local.get $attack1) (local.get $e))))
            (if (f64.gt (local.get $y) (local.get $e)) (then (local.set $y (local.get $e))))
            (f64.store (local.get $i) (local.get $y))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $next)))))
    (f64.store offset=128 (local.get $p) (local.get $e))
    (f64.store offset=144 (local.get $p) (local.get $y))
    (if (local.get $latency)
      (then
        (f64.store offset=120 (local.get $p) (call $gains (local.get $lv) (i32.const 0) (i32.load offset=180 (local.get $p)) (local.get $n)
          (f64.load offset=56 (local.get $p)) (f64.load offset=120 (local.get $p))))
        (call $apply (local.get $p) (local.get $outL) (local.get $outR) (local.get $n))
        (return)))
    ;; No look-ahead: gains (as $gains) and the audio times the gains in one pass, two frames at a time.
    (local.set $mk (v128.load64_splat offset=56 (local.get $p)))
    (local.set $big (v128.load64_splat offset=120 (local.get $p)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
          (then (local.set $z (v128.load (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3))))))
          (else (local.set $z (v128.load64_splat (i32.add (local.get $lv) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $big (f64x2.pmax (local.get $big) (local.get $z)))
        (local.set $x (f64x2.sub (local.get $mk) (local.get $z)))
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

  ;; out = a + b, |out| < 1e-30 flushed to 0, rounded to f32 (roundFirst: rounded to f32 before the flush).
  (func (export "sum") (param $aL i32) (param $aR i32) (param $bL i32) (param $bR i32) (param $outL i32) (param $outR i32) (param $n i32) (param $roundFirst i32)
    (local $i i32) (local $c i32) (local $a i32) (local $b i32) (local $o i32) (local $at i32) (local $v v128) (local $m v128)
    (block $channels
      (loop $channel
        (br_if $channels (i32.ge_u (local.get $c) (i32.const 2)))
        (local.set $a (select (local.get $aR) (local.get $aL) (local.get $c)))
        (local.set $b (select (local.get $bR) (local.get $bL) (local.get $c)))
        (local.set $o (select (local.get $outR) (local.get $outL) (local.get $c)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $at (i32.shl (local.get $i) (i32.const 2)))
            (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
              (then (local.set $v (f64x2.add (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $a) (local.get $at))))
                (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $b) (local.get $at)))))))
              (else (local.set $v (f64x2.add (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $a) (local.get $at))))
                (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $b) (local.get $at))))))))
            (if (local.get $roundFirst) (then (local.set $v (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero (local.get $v))))))
            (local.set $m (f64x2.lt (f64x2.abs (local.get $v)) (v128.const f64x2 1e-30 1e-30)))
            (local.set $v (f32x4.demote_f64x2_zero (v128.andnot (local.get $v) (local.get $m))))
            (if (i32.le_u (i32.add (local.get $i) (i32.const 2)) (local.get $n))
              (then (v128.store64_lane 0 (i32.add (local.get $o) (local.get $at)) (local.get $v)))
              (else (v128.store32_lane 0 (i32.add (local.get $o) (local.get $at)) (local.get $v))))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $next)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channel))))
)
