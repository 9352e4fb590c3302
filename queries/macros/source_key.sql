-- Purpose: a source label as it is matched against the marketing labels and aliases (source_labels.sql):
--   lower case, without spaces, `_` and `-`.
-- Grain: a scalar macro.
-- Parameters (of the macro): label.
create macro source_key(label) as regexp_replace(lower(label), '[\s_-]+', '', 'g');
