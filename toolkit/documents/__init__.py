"""Document builders: PDF, Word, Excel and calendar files. No Streamlit here."""
