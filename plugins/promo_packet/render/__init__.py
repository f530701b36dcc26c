"""The model as finished pages and files: Markdown pages with their final links, charts, the print
document and the PDF."""
