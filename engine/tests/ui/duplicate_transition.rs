mycel::net! {
    net PingPong: u8 {
        places { ping: 1, pong: 1 }
        transitions {
            there: ping -> pong,
            there: pong -> ping,
        }
    }
}

fn main() {}
