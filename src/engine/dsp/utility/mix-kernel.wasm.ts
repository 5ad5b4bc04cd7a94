// GENERATED FILE: do not edit. Generated from mix-kernel.wat by scripts/build-wasm.mjs
// (run `node scripts/build-wasm.mjs` after changing the .wat). 294 bytes of wasm, base64.

export const MIX_KERNEL_WASM_BASE64 =
  'AGFzbQEAAAABCgFgBn9/f39/fAACDwEDZW52Bm1lbW9yeQIAAQMCAQAHDQEJYWRkU2NhbGVkAAAK6wEB6AECAXsFfyAF/RQhBgJA' +
  'A0AgCEECTw0BIAEgACAIGyEJIAMgAiAIGyEKQQAhBwJAA0AgB0EEaiAESw0BIAdBAnQhCyAKIAtqIAogC2r9XQMA/V8gBiAJIAtq' +
  '/V0DAP1f/fIB/fAB/V79WwMAACAKIAtqIAogC2r9XQMI/V8gBiAJIAtq/V0DCP1f/fIB/fAB/V79WwMIACAHQQRqIQcMAAsLAkAD' +
  'QCAHIARPDQEgB0ECdCELIAogC2ogCiALaioCALsgBSAJIAtqKgIAu6KgtjgCACAHQQFqIQcMAAsLIAhBAWohCAwACwsL';
