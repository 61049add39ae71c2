// The QR code's session and views: a chunk of its own, loaded with the first QR code (Thai QR, WeChat Pay).
export { QrSessionController, type QrDrawing, type QrSessionOptions, type QrView } from './qr-session.ts';
