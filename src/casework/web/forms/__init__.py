"""Forms of the web workspace. Validation is the model's (ModelForm runs ``clean()``), so a rule
broken in the browser reads the same as in the API, beside the field it concerns."""
