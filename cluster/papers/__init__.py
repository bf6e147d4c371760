"""Papers: a document built once as a structure (headings, paragraphs, tables of typed cells) and
rendered by one renderer per format (PDF, Word, Excel), and the record of papers as issued.

It sits low in the engine (above `common`, below everything that writes papers) so that the
services that issue papers (`meetings`: papers-out, confirmation, approved minutes) can render and
store them in the same transaction, and the toolkit's downloads use the very same renderers.
"""
