// Reads a QR code from a picture (a camera frame or an image file) with jsQR, in the page.
import jsQR from 'jsqr';

/** Large photos are scaled down first: jsQR's time grows with the pixel count. */
const MAX_SIDE = 1024;

/** The text of the first QR code in `source`, or null when none is found. */
export function readQrCode(
	source: CanvasImageSource,
	width: number,
	height: number
): string | null {
	if (width === 0 || height === 0) return null;
	const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
	const canvas = document.createElement('canvas');
	canvas.width = Math.round(width * scale);
	canvas.height = Math.round(height * scale);
	const context = canvas.getContext('2d', { willReadFrequently: true });
	if (!context) return null;
	context.drawImage(source, 0, 0, canvas.width, canvas.height);
	const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
	return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
}

/** The text of the QR code in an image file; null when the picture holds none. */
export async function readQrCodeFromFile(file: Blob): Promise<string | null> {
	const bitmap = await createImageBitmap(file);
	try {
		return readQrCode(bitmap, bitmap.width, bitmap.height);
	} finally {
		bitmap.close();
	}
}
