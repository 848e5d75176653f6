"""Walk-in visits at the counter: the register of service use (ทะเบียนผู้ใช้บริการ)."""
