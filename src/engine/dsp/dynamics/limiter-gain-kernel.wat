;; Parts of the limiter's gain curve over one chunk in WebAssembly (limiter-gain-kernel.ts): the JS loops'
;; operations in the same order, bit-identical, with float comparisons as masks and pmin instead of
;; branches. (V8 compiles JS `a < b ? a : b` and wasm's f64.min to compare-and-branch code; on a limited
;; signal MinHold's comparisons are unpredictable: its JS loop took 53 ms per 3 minutes of dense stereo,
;; this one 21 ms.) Scalars ride in lane 0 of f64x2 values, where pmin and bitselect are single
;; instructions. (AdaptiveRelease stays in JS: without branches its loop-carried chain through every
;; candidate reduction ran slower, 57 ms against 39.) The boxcars run one at a time over the chunk, two
;; samples per f64x2 (their integer sums are exact in any order): 53 ms against the JS loop's 80, which
;; runs all three per sample, one long dependency chain per sample.
;; Source of limiter-gain-kernel.wasm.ts; rebuild with `node scripts/build-wasm.mjs`.
;;
;; targets(values, ceilings, n, margin) -> all at rest (i32):
;;   limit = ceilings[i] * margin; values[i] = values[i] > limit ? limit / values[i] : 1 (peaks in, target gains out)
;; hold(values, n, block, suffix, state, window): MinHold.run, state f64 [position, prefix, ones]
;; boxcars(values, n, ring0, ring1, ring2, state, boxcar, inverse) -> smallest output: BoxcarCascade.run
;;   (its exact-by-inverse path) as three passes ($stage), state f64 [sum0, sum1, sum2, index]
;; apply(line, mask, from, gains, out, n): the delayed audio of one channel times the gains (see there)
(module
  (import "env" "memory" (memory 1))

  (func (export "targets") (param $v i32) (param $c i32) (param $n i32) (param $margin f64) (result i32)
    (local $p i32) (local $q i32) (local $end i32) (local $peak v128) (local $limit v128) (local $t v128) (local $m v128)
    (local $one v128) (local $moved v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $m (f64x2.splat (local.get $margin)))
    (local.set $p (local.get $v))
    (local.set $q (local.get $c))
    (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $peak (v128.load (local.get $p)))
      (local.set $limit (f64x2.mul (v128.load (local.get $q)) (local.get $m)))
      (local.set $t (v128.bitselect (f64x2.div (local.get $limit) (local.get $peak)) (local.get $one) (f64x2.gt (local.get $peak) (local.get $limit))))
      (local.set $moved (v128.or (local.get $moved) (f64x2.ne (local.get $t) (local.get $one))))
      (v128.store (local.get $p) (local.get $t))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $peak (v128.load64_splat (local.get $p)))
        (local.set $limit (f64x2.mul (v128.load64_splat (local.get $q)) (local.get $m)))
        (local.set $t (v128.bitselect (f64x2.div (local.get $limit) (local.get $peak)) (local.get $one) (f64x2.gt (local.get $peak) (local.get $limit))))
        (local.set $moved (v128.or (local.get $moved) (f64x2.ne (local.get $t) (local.get $one))))
        (v128.store64_lane 0 (local.get $p) (local.get $t))))
    (i32.eqz (v128.any_true (local.get $moved))))

  (func (export "hold") (param $v i32) (param $n i32) (param $block i32) (param $suffix i32) (param $state i32) (param $window i32)
    (local $i i32) (local $r i32) (local $last i32) (local $j i32) (local $p i32) (local $end i32)
    (local $prefix v128) (local $ones v128) (local $value v128) (local $min v128) (local $one v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $r (i32.trunc_f64_s (f64.load (local.get $state))))
    (local.set $prefix (v128.load64_splat offset=8 (local.get $state)))
    (local.set $ones (v128.load64_splat offset=16 (local.get $state)))
    (local.set $last (i32.sub (local.get $window) (i32.const 1)))
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $value (v128.load64_splat (local.get $p)))
      ;; prefix = r === 0 || value < prefix ? value : prefix
      (if (local.get $r)
        (then (local.set $prefix (f64x2.pmin (local.get $prefix) (local.get $value))))
        (else (local.set $prefix (local.get $value))))
      (f64.store (i32.add (local.get $block) (i32.shl (local.get $r) (i32.const 3))) (f64x2.extract_lane 0 (local.get $value)))
      ;; ones = value === 1 ? ones + 1 : 0
      (local.set $ones (v128.and (f64x2.add (local.get $ones) (local.get $one)) (f64x2.eq (local.get $value) (local.get $one))))
      (if (i32.eq (local.get $r) (local.get $last))
        (then
          ;; closeBlock: suffix[j] = min(block[j .. window - 1])
          (local.set $min (v128.load64_splat (i32.add (local.get $block) (i32.shl (local.get $last) (i32.const 3)))))
          (f64.store (i32.add (local.get $suffix) (i32.shl (local.get $last) (i32.const 3))) (f64x2.extract_lane 0 (local.get $min)))
          (local.set $j (local.get $last))
          (block $cd (loop $cl
            (br_if $cd (i32.le_s (local.get $j) (i32.const 0)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (local.set $min (f64x2.pmin (local.get $min) (v128.load64_splat (i32.add (local.get $block) (i32.shl (local.get $j) (i32.const 3))))))
            (f64.store (i32.add (local.get $suffix) (i32.shl (local.get $j) (i32.const 3))) (f64x2.extract_lane 0 (local.get $min)))
            (br $cl)))
          (v128.store64_lane 0 (local.get $p) (local.get $prefix))
          (local.set $r (i32.const 0)))
        (else
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          ;; before < prefix ? before : prefix
          (v128.store64_lane 0 (local.get $p)
            (f64x2.pmin (local.get $prefix) (v128.load64_splat (i32.add (local.get $suffix) (i32.shl (local.get $r) (i32.const 3))))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $next)))
    (f64.store (local.get $state) (f64.convert_i32_s (local.get $r)))
    (v128.store64_lane offset=8 0 (local.get $state) (local.get $prefix))
    (v128.store64_lane offset=16 0 (local.get $state) (local.get $ones)))

  ;; One boxcar of the cascade over values[0, n) in place, two samples per f64x2 where their ring slots are
  ;; adjacent: sum += value - ring[index]; ring[index] = value; value = floor(sum / b) (by the inverse, then
  ;; stepped to the exact floor). Values and sums are integers below 2^53, so the pair's running sums
  ;; [s + a0, s + (a0 + a1)] equal the JS loop's s + a0 and (s + a0) + a1 exactly. $unit: 2^40 for the
  ;; first boxcar (floor(gain * 2^40) first), 1 for the later ones (the previous one's integers). Returns
  ;; the index after the last value.
  (func $stage (param $v i32) (param $n i32) (param $ring i32) (param $sumAt i32) (param $index i32) (param $boxcar i32)
    (param $inverse f64) (param $scale f64) (result i32)
    (local $p i32) (local $end i32) (local $slot i32)
    (local $one v128) (local $unit v128) (local $inv v128) (local $b v128) (local $zero v128)
    (local $sum v128) (local $u v128) (local $a v128) (local $q v128)
    (local.set $one (f64x2.splat (f64.const 1)))
    (local.set $unit (f64x2.splat (local.get $scale)))
    (local.set $inv (f64x2.splat (local.get $inverse)))
    (local.set $b (f64x2.splat (f64.convert_i32_s (local.get $boxcar))))
    (local.set $sum (v128.load64_splat (local.get $sumAt)))
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $n) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $slot (i32.add (local.get $ring) (i32.shl (local.get $index) (i32.const 3))))
      (if (i32.and (i32.lt_s (i32.add (local.get $index) (i32.const 1)) (local.get $boxcar))
            (i32.le_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (then
          (local.set $u (f64x2.floor (f64x2.mul (v128.load (local.get $p)) (local.get $unit))))
          (local.set $a (f64x2.sub (local.get $u) (v128.load (local.get $slot))))
          (v128.store (local.get $slot) (local.get $u))
          (local.set $sum (f64x2.add (local.get $sum)
            (f64x2.add (local.get $a) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $zero) (local.get $a)))))
          (local.set $q (f64x2.floor (f64x2.mul (local.get $sum) (local.get $inv))))
          (local.set $q (f64x2.add (f64x2.sub (local.get $q)
              (v128.and (local.get $one) (f64x2.gt (f64x2.mul (local.get $q) (local.get $b)) (local.get $sum))))
            (v128.and (local.get $one) (f64x2.le (f64x2.mul (f64x2.add (local.get $q) (local.get $one)) (local.get $b)) (local.get $sum)))))
          (v128.store (local.get $p) (local.get $q))
          ;; the running sum (lane 1) into both lanes
          (local.set $sum (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $sum) (local.get $sum)))
          (local.set $index (i32.add (local.get $index) (i32.const 2)))
          (local.set $p (i32.add (local.get $p) (i32.const 16))))
        (else
          (local.set $u (f64x2.floor (f64x2.mul (v128.load64_splat (local.get $p)) (local.get $unit))))
          (local.set $a (f64x2.sub (local.get $u) (v128.load64_splat (local.get $slot))))
          (v128.store64_lane 0 (local.get $slot) (local.get $u))
          (local.set $sum (f64x2.add (local.get $sum) (local.get $a)))
          (local.set $q (f64x2.floor (f64x2.mul (local.get $sum) (local.get $inv))))
          (local.set $q (f64x2.add (f64x2.sub (local.get $q)
              (v128.and (local.get $one) (f64x2.gt (f64x2.mul (local.get $q) (local.get $b)) (local.get $sum))))
            (v128.and (local.get $one) (f64x2.le (f64x2.mul (f64x2.add (local.get $q) (local.get $one)) (local.get $b)) (local.get $sum)))))
          (v128.store64_lane 0 (local.get $p) (local.get $q))
          (local.set $index (i32.add (local.get $index) (i32.const 1)))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))))
      (local.set $index (select (i32.const 0) (local.get $index) (i32.eq (local.get $index) (local.get $boxcar))))
      (br $next)))
    (v128.store64_lane 0 (local.get $sumAt) (local.get $sum))
    (local.get $index))

  (func (export "boxcars") (param $v i32) (param $n i32) (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $state i32)
    (param $boxcar i32) (param $inverse f64) (result f64)
    (local $index i32) (local $p i32) (local $end i32) (local $x v128) (local $smallest v128) (local $scale v128) (local $r f64)
    (local.set $index (i32.trunc_f64_s (f64.load offset=24 (local.get $state))))
    (drop (call $stage (local.get $v) (local.get $n) (local.get $r0) (local.get $state) (local.get $index) (local.get $boxcar) (local.get $inverse) (f64.const 0x1p40)))
    (drop (call $stage (local.get $v) (local.get $n) (local.get $r1) (i32.add (local.get $state) (i32.const 8)) (local.get $index) (local.get $boxcar) (local.get $inverse) (f64.const 1)))
    (local.set $index (call $stage (local.get $v) (local.get $n) (local.get $r2) (i32.add (local.get $state) (i32.const 16)) (local.get $index) (local.get $boxcar) (local.get $inverse) (f64.const 1)))
    (f64.store offset=24 (local.get $state) (f64.convert_i32_s (local.get $index)))
    ;; gains = integers * 2^-40, and their smallest (1 at most)
    (local.set $scale (f64x2.splat (f64.const 0x1p-40)))
    (local.set $smallest (f64x2.splat (f64.const 1)))
    (local.set $p (local.get $v))
    (local.set $end (i32.add (local.get $v) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $x (f64x2.mul (v128.load (local.get $p)) (local.get $scale)))
      (v128.store (local.get $p) (local.get $x))
      (local.set $smallest (f64x2.pmin (local.get $smallest) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $x (f64x2.mul (v128.load64_splat (local.get $p)) (local.get $scale)))
        (v128.store64_lane 0 (local.get $p) (local.get $x))
        (local.set $smallest (f64x2.pmin (local.get $smallest) (local.get $x)))))
    (f64x2.extract_lane 0 (f64x2.pmin (local.get $smallest) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $smallest) (local.get $smallest)))))
  ;; apply(line, mask, from, gains, out, n): out[i] = f32(line[(from + i) & mask] * gains[i]) (f32 line and out,
  ;; f64 gains): the delayed audio times the gain curve, as the JS loop's Math.fround(gain * v); a gain of
  ;; 1 passes the sample unchanged either way. Four samples per turn where the line does not wrap.
  (func (export "apply") (param $line i32) (param $mask i32) (param $from i32) (param $gains i32) (param $out i32) (param $n i32)
    (local $i i32) (local $at i32) (local $x v128) (local $g i32) (local $o i32)
    (block $done (loop $next
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $at (i32.and (i32.add (local.get $from) (local.get $i)) (local.get $mask)))
      (local.set $g (i32.add (local.get $gains) (i32.shl (local.get $i) (i32.const 3))))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2))))
      (if (i32.and (i32.le_s (i32.add (local.get $at) (i32.const 4)) (i32.add (local.get $mask) (i32.const 1)))
            (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (then
          (local.set $x (v128.load (i32.add (local.get $line) (i32.shl (local.get $at) (i32.const 2)))))
          (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (local.get $x)) (v128.load (local.get $g))))
            (f32x4.demote_f64x2_zero (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x)))
              (v128.load offset=16 (local.get $g))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4))))
        (else
          (f32.store (local.get $o) (f32.demote_f64 (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $line) (i32.shl (local.get $at) (i32.const 2)))))
            (f64.load (local.get $g)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      (br $next))))
)
