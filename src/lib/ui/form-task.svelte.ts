// The one thing a form is doing: a progress line while it runs and, when it fails, the sentence
// that says why. Every form that restores, exports or moves a key works this way.
import { sentence } from './format';

export class FormTask {
	progress = $state('');
	error = $state('');

	get busy(): boolean {
		return this.progress !== '';
	}

	/** Runs `work`, showing `first` and then each step it reports; true when it succeeded. */
	async run(
		first: string,
		work: (step: (text: string) => void) => Promise<void>
	): Promise<boolean> {
		this.error = '';
		this.progress = first;
		try {
			await work((text) => (this.progress = text));
			return true;
		} catch (caught) {
			this.error = sentence(caught);
			return false;
		} finally {
			this.progress = '';
		}
	}
}
