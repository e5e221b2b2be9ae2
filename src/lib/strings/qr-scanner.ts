/** What lib/ui/QrScanner.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const qrScannerStrings = {
	thisBrowserCannotUse:
		'This browser cannot use a camera here. Take a photo of their code and scan it from the image instead.',
	theCameraCouldNot:
		'The camera could not be started (it may be missing, in use, or not allowed). Scan their code from an image instead.',
	noCodeWasFound:
		'No code was found in that image. Use a sharp picture in which the whole code is visible.',
	stopTheCamera: 'Stop the camera',
	scanTheirCode: 'Scan their code',
	scanFromAnImage: 'Scan from an image',
	cameraPicture: 'Camera picture'
};
