mycel::net! {
    net Gate: u8 {
        machines { breaker: mycel::breaker::CircuitBreaker }
        places { input: 1, output: 1 }
        transitions {
            admit [machine = breaker]: input -> output,
        }
    }
}

fn main() {}
