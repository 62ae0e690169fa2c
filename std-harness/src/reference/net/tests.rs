//! Rule-by-rule tests.
