-- Children by parent: the number of dependants the tax office receives.
CREATE INDEX citizen_by_mother ON citizen (mother_nik);
CREATE INDEX citizen_by_father ON citizen (father_nik);
