"""Shown to a signed-in user whom no access rule names: who to ask, and nothing else."""

import streamlit as st

from dashboard import access_control, sign_in
from reporting.access import user_email

claims = sign_in.user_claims() or {}
st.title("Workforce Stability")
st.warning(f"You are signed in as {user_email(claims) or 'a user with no e-mail address'}, but you have not been "
           "given access to the workforce figures.", icon=":material/lock:")
st.markdown(f"To ask for access, contact **{access_control.rules().ask}**. Say which part of the service you "
            "need to see and why; they add you to the access rules, and you can then reload this page.")
