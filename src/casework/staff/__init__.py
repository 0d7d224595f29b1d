"""Staff members: discipline, languages, supervision, licences and certifications."""
