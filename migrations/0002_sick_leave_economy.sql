-- Sick leave (sick-leave.md) and economy (economy.md): the registered figures per (unit,
-- month), the built-in indicators computed from them, and settings.

-- One row per (unit, month): person-days. The length split is all four columns or none.
CREATE TABLE sick_leave (
    unit             TEXT NOT NULL REFERENCES units (code),
    month            INTEGER NOT NULL,
    contracted_days  REAL NOT NULL CHECK (contracted_days > 0),
    self_certified   REAL NOT NULL CHECK (self_certified >= 0),
    doctor_certified REAL NOT NULL CHECK (doctor_certified >= 0),
    employees        INTEGER CHECK (employees >= 0),
    days_1_3         REAL,
    days_4_16        REAL,
    days_17_56       REAL,
    days_over_56     REAL,
    CHECK ((days_1_3 IS NULL AND days_4_16 IS NULL AND days_17_56 IS NULL AND days_over_56 IS NULL)
        OR (days_1_3 IS NOT NULL AND days_4_16 IS NOT NULL AND days_17_56 IS NOT NULL AND days_over_56 IS NOT NULL)),
    PRIMARY KEY (month, unit)
) WITHOUT ROWID;
CREATE INDEX sick_leave_unit ON sick_leave (unit, month);

-- One row per (ansvar = unit, month); amounts in integer øre (net: expenses positive,
-- income negative). A NULL column is "not registered".
CREATE TABLE economy (
    unit     TEXT NOT NULL REFERENCES units (code),
    month    INTEGER NOT NULL,
    budget   INTEGER,
    actual   INTEGER,
    forecast INTEGER,
    PRIMARY KEY (month, unit)
) WITHOUT ROWID;
CREATE INDEX economy_unit ON economy (unit, month);

-- Settings the user can change (audited): `min_employees` for sick-leave masking.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('min_employees', '5');

INSERT INTO indicators (code, name, perspective, goal, description, source, responsible,
    unit_label, decimals, direction, frequency, aggregation, unit_rollup, factor, builtin)
VALUES
    ('SF', 'Sykefravær totalt', 'organisasjon', 'Sykefravær',
     '100 × (egenmeldt + legemeldt) / avtalte dagsverk; tellere og nevnere summeres over måneder og enheter før brøken',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('SF-E', 'Egenmeldt sykefravær', 'organisasjon', 'Sykefravær',
     '100 × egenmeldte fraværsdagsverk / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('SF-L', 'Legemeldt sykefravær', 'organisasjon', 'Sykefravær',
     '100 × legemeldte fraværsdagsverk (gradert) / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('SF-KORT', 'Korttidsfravær (1–16 dager)', 'organisasjon', 'Sykefravær',
     '100 × (dager 1–3 + dager 4–16) / avtalte dagsverk, bare over rader med fordeling på lengde',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('SF-LANG', 'Langtidsfravær (over 16 dager)', 'organisasjon', 'Sykefravær',
     '100 × (dager 17–56 + dager over 56) / avtalte dagsverk, bare over rader med fordeling på lengde',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('SF-N', 'Nærvær', 'organisasjon', 'Sykefravær',
     '100 × (avtalte dagsverk − egenmeldt − legemeldt) / avtalte dagsverk',
     'Registrert sykefravær', 'Enhetsleder', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100, 1),
    ('OK-AVVIK', 'Avvik fra periodisert budsjett', 'økonomi', 'Økonomi i balanse',
     '100 × Σ(budsjett − regnskap) / |Σ budsjett| over månedene som har regnskap; positivt er mindreforbruk',
     'Regnskap og budsjett', 'Økonomisjef', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100, 1),
    ('OK-FORBRUK', 'Forbruksprosent', 'økonomi', 'Økonomi i balanse',
     '100 × Σ regnskap i perioden / årsbudsjettet for periodens år',
     'Regnskap og budsjett', 'Økonomisjef', '%', 1, 'lav', 'måned', 'brøk', 'sum', 100, 1),
    ('OK-PROGNOSE', 'Prognostisert avvik ved årsslutt', 'økonomi', 'Økonomi i balanse',
     '100 × (årsbudsjett − prognose) / |årsbudsjett| per periodens siste måned; enheter uten prognose regnes som i balanse',
     'Prognoser fra enhetene', 'Økonomisjef', '%', 1, 'høy', 'måned', 'brøk', 'sum', 100, 1);
