mycel::net! {
    net Arrivals: u8 {
        places { queue: 4 }
        transitions {
            arrive: () -> queue,
        }
    }
}

fn main() {}
