// A one-line confirmation carried across a page change ("Sent to bob@example.org").
export const notice = $state({ text: '' });
