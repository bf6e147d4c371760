"""The web server: the Streamlit app (`streamlit_app.py`) plus the toolkit's routes that set and
clear the sign-in cookie, and the error page in our words.

    streamlit run server.py        (what `make run` does)
"""

import streamlit as st

from toolkit.error_page import show_error_page
from toolkit.web import routes, warm_up

app = st.App("streamlit_app.py", routes=routes(), on_script_error=show_error_page,
             lifespan=warm_up)
