"""The contract's money: amounts as contracts write them, SLA metrics and the credits they earn,
invoices and what in them departs from the agreed price. Pure: values in, values out; each result
carries the clause it rests on and the arithmetic behind it (the pipeline stores and alerts)."""
