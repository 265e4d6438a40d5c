"""The 一户一册 household ledger: its workbook, print page, 明白卡 and offline-edit import."""
