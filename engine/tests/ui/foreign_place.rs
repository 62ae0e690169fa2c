use mycel::time::Instant;

mycel::net! {
    net Orders: u8 {
        places { inbox: 4, outbox: 4 }
        transitions { ship: inbox -> outbox }
    }
}

mycel::net! {
    net Refunds: u8 {
        places { inbox: 4, outbox: 4 }
        transitions { pay: inbox -> outbox }
    }
}

fn main() {
    let mut refunds = Refunds::new();
    // A place of `Orders` handed to `Refunds`: the ids are typed by their net.
    let _ = refunds.inject(Orders::PLACES.inbox, 1, Instant::from_ticks(0));
}
