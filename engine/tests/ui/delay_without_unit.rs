mycel::net! {
    net Timer: u8 {
        places { armed: 1, fired: 1 }
        transitions {
            expire [delay = 5]: armed -> fired,
        }
    }
}

fn main() {}
